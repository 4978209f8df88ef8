/**
 * @module duckdb/duckdb-client
 * SQL over the lake in Node: every Iceberg table of a namespace as a DuckDB view of its live rows
 * at a chosen snapshot, planned by LakeSync (no DuckDB extension) and executed by `read_parquet`.
 *
 * @example
 * const client = unwrapOrThrow(await DuckDBClient.open({ catalogue, location, namespace: ["todos"] }));
 * const done = await client.query("SELECT owner, count(*) FILTER (WHERE completed) AS done FROM todos GROUP BY owner");
 * await client.close();
 */
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  type Catalogue,
  currentSchema,
  type LakeLocation,
  type Namespace,
  planScan,
  type TableMetadata,
} from "@lakesync/catalogue";
import {
  Err,
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type TableSchema,
} from "@lakesync/core";
import type { Table } from "apache-arrow";
import { AnalystError, messageOf } from "../errors.js";
import { listLakeTables } from "../lake/lake-tables.js";
import { chooseSnapshot, hasExpired, type SnapshotChoice } from "../lake/snapshot-choice.js";
import { DEFAULT_CACHE_DIR, type FileResolver, fileResolver } from "./file-resolver.js";
import { normaliseValue, type QueryResult, type QueryRow, toArrow } from "./query-result.js";
import { dropOtherKind } from "./replace-relation.js";
import { writeRowTable } from "./row-table.js";
import { quoteIdent } from "./sql-text.js";
import { snapshotSelect } from "./table-view.js";

/** What a {@link DuckDBClient} reads. */
export interface DuckDBClientOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  /** The namespace whose tables become views (the gateway id by default on a gateway). */
  readonly namespace: Namespace;
  /** Which snapshot: the current one (default), an id, or a moment. */
  readonly at?: SnapshotChoice;
  /** Also register LakeSync's `_lakesync_*` tables (hidden by default). */
  readonly includeInternal?: boolean;
  /** Where files of a remote lake are cached (default: a directory under the OS temp dir). */
  readonly cacheDir?: string;
  /** Close the catalogue when the client closes (for catalogues opened for it). */
  readonly closeCatalogue?: boolean;
}

/** A table registered with the client. */
export interface RegisteredTable {
  readonly name: string;
  /** The Iceberg snapshot the view shows; `undefined` for an empty table or rows given in memory. */
  readonly snapshotId: number | undefined;
  /** `lake` for a view of Iceberg files, `rows` for rows loaded from memory. */
  readonly source: "lake" | "rows";
}

/**
 * A DuckDB database (in memory) whose views are the lake's tables. Every method returns a
 * `Result` and never throws; see `AnalystError` for the codes.
 */
export class DuckDBClient {
  readonly #options: DuckDBClientOptions;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #files: FileResolver;
  readonly #tables = new Map<string, RegisteredTable>();
  #closed = false;

  private constructor(
    options: DuckDBClientOptions,
    instance: DuckDBInstance,
    connection: DuckDBConnection,
  ) {
    this.#options = options;
    this.#instance = instance;
    this.#connection = connection;
    this.#files = fileResolver(options.location, options.cacheDir ?? DEFAULT_CACHE_DIR);
  }

  /**
   * Opens an in-memory DuckDB (extension auto-install and auto-load off) and registers the
   * namespace's tables at `options.at`. `Err`: the catalogue's (`NO_SUCH_NAMESPACE` before the
   * first flush), `MISSING_FILE`, `BEYOND_RETENTION`, `INVALID_INPUT`.
   */
  static async open(options: DuckDBClientOptions): Promise<Result<DuckDBClient, LakeSyncError>> {
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;
    try {
      instance = await DuckDBInstance.create(":memory:", {
        autoinstall_known_extensions: "false",
        autoload_known_extensions: "false",
      });
      connection = await instance.connect();
    } catch (cause) {
      return Err(
        new AnalystError("QUERY_FAILED", `cannot start DuckDB: ${messageOf(cause)}`, { cause }),
      );
    }
    const client = new DuckDBClient(options, instance, connection);
    const registered = await client.refresh(options.at);
    if (!registered.ok) {
      await client.close();
      return registered;
    }
    return Ok(client);
  }

  /** The registered tables, by name. */
  get tables(): readonly RegisteredTable[] {
    return [...this.#tables.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * Re-reads the catalogue and registers every table again at `at` (a snapshot id names one
   * table's snapshot: the others are shown as of its commit time). Errors as {@link open}.
   */
  async refresh(at?: SnapshotChoice): Promise<Result<readonly RegisteredTable[], LakeSyncError>> {
    if (this.#closed) return Err(new AnalystError("CLOSED", "the client is closed"));
    const { catalogue, namespace } = this.#options;
    const names = await listLakeTables(catalogue, namespace, {
      includeInternal: this.#options.includeInternal ?? false,
    });
    if (!names.ok) return names;
    const loaded = new Map<string, TableMetadata>();
    for (const name of names.value) {
      const table = await catalogue.loadTable({ namespace, name });
      if (!table.ok) return table;
      loaded.set(name, table.value.metadata);
    }
    const choice = resolveChoice(loaded, at);
    if (!choice.ok) return choice;
    for (const [name, metadata] of loaded) {
      const view = await this.#registerView(name, metadata, choice.value(name));
      if (!view.ok) return view;
    }
    return Ok(this.tables);
  }

  async #registerView(
    name: string,
    metadata: TableMetadata,
    at: SnapshotChoice,
  ): Promise<Result<void, LakeSyncError>> {
    const chosen = chooseSnapshot(metadata, at, name);
    if (!chosen.ok) return chosen;
    const snapshot = chosen.value.snapshot;
    const plan = snapshot
      ? await planScan(this.#options.location, metadata, { snapshotId: snapshot["snapshot-id"] })
      : Ok({
          snapshot: undefined,
          dataFiles: [],
          deleteFiles: [],
          unpartitionedSpecIds: new Set<number>(),
        });
    if (!plan.ok) return plan;
    const schemaId = snapshot?.["schema-id"];
    const schema =
      metadata.schemas.find((s) => s["schema-id"] === schemaId) ?? currentSchema(metadata);
    const uris = [...plan.value.dataFiles, ...plan.value.deleteFiles].map(
      (f) => f.dataFile.filePath,
    );
    const paths = await this.#files.resolve(uris);
    if (!paths.ok) return paths;
    const select = snapshotSelect(plan.value, schema, (uri) => paths.value.get(uri) ?? uri);
    if (!select.ok) return select;
    try {
      await dropOtherKind(this.#connection, name, "VIEW");
      await this.#connection.run(`CREATE OR REPLACE VIEW ${quoteIdent(name)} AS ${select.value}`);
    } catch (cause) {
      return Err(queryError(cause, `cannot register the view of "${name}"`));
    }
    this.#tables.set(name, { name, snapshotId: snapshot?.["snapshot-id"], source: "lake" });
    return Ok(undefined);
  }

  /**
   * Registers `rows` (row id → row, typed by `schema`) as table `name`, replacing a view of the
   * same name: how union and time-travel reads become queryable. `Err` (`QUERY_FAILED`, `CLOSED`).
   */
  async registerRows(
    name: string,
    schema: TableSchema,
    rows: Iterable<readonly [string, Row]>,
  ): Promise<Result<void, AnalystError>> {
    if (this.#closed) return Err(new AnalystError("CLOSED", "the client is closed"));
    const written = await writeRowTable(this.#connection, name, schema, rows);
    if (!written.ok) return written;
    this.#tables.set(name, { name, snapshotId: undefined, source: "rows" });
    return Ok(undefined);
  }

  /**
   * Runs `sql` and returns its rows, normalised (see `query-result`). `Err(AnalystError)`:
   * `QUERY_FAILED` for SQL DuckDB refuses, `NO_SUCH_TABLE` for a table that is not registered,
   * `MISSING_FILE` when a file of a view is gone, `CLOSED`.
   */
  async query(sql: string): Promise<Result<QueryResult, AnalystError>> {
    if (this.#closed) return Err(new AnalystError("CLOSED", "the client is closed"));
    try {
      const reader = await this.#connection.runAndReadAll(sql);
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => t.toString());
      const rows: QueryRow[] = reader.getRowsJS().map((values) => {
        const row: Record<string, ReturnType<typeof normaliseValue>> = {};
        names.forEach((n, i) => {
          row[n] = normaliseValue(values[i]);
        });
        return row;
      });
      return Ok({ columns: names.map((name, i) => ({ name, type: types[i] ?? "" })), rows });
    } catch (cause) {
      return Err(queryError(cause, "the query failed"));
    }
  }

  /** Runs `sql` and returns its rows as an Apache Arrow table. Errors as {@link query}. */
  async queryArrow(sql: string): Promise<Result<Table, AnalystError>> {
    const result = await this.query(sql);
    return result.ok ? Ok(toArrow(result.value)) : result;
  }

  /** Closes DuckDB (and the catalogue, with `closeCatalogue`). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.closeSync();
    this.#instance.closeSync();
    if (this.#options.closeCatalogue) await this.#options.catalogue.close();
  }
}

/** DuckDB's error as an `AnalystError` with the code a caller can act on. */
function queryError(cause: unknown, context: string): AnalystError {
  const message = messageOf(cause);
  const missingTable = /Catalog Error: Table with name (\S+) does not exist/.exec(message);
  if (missingTable)
    return new AnalystError(
      "NO_SUCH_TABLE",
      `no table ${missingTable[1]} (${message.split("\n")[0]})`,
      { cause },
    );
  if (/IO Error|No files found/.test(message))
    return new AnalystError("MISSING_FILE", `${context}: a lake file is missing: ${message}`, {
      cause,
    });
  return new AnalystError("QUERY_FAILED", `${context}: ${message}`, { cause });
}

/**
 * Per table, the choice to read it with: a snapshot id is looked up in every table; its own
 * table reads it, the others read as of its commit time.
 */
function resolveChoice(
  tables: ReadonlyMap<string, TableMetadata>,
  at: SnapshotChoice,
): Result<(table: string) => SnapshotChoice, AnalystError> {
  if (at === undefined || !("snapshotId" in at)) return Ok(() => at);
  for (const [name, metadata] of tables) {
    const found = (metadata.snapshots ?? []).find((s) => s["snapshot-id"] === at.snapshotId);
    if (found)
      return Ok((table) => (table === name ? at : { asOfTimestampMs: found["timestamp-ms"] }));
  }
  return Err(
    [...tables.values()].some(hasExpired)
      ? new AnalystError(
          "BEYOND_RETENTION",
          `no table of the namespace has a snapshot ${at.snapshotId}: it is unknown or has expired`,
        )
      : new AnalystError(
          "INVALID_INPUT",
          `no table of the namespace has a snapshot ${at.snapshotId}`,
        ),
  );
}
