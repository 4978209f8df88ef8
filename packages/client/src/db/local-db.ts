/**
 * @module db/local-db
 * The client's local SQLite database, on one of the engines of `sql-engine.ts`: in memory with
 * whole snapshots (sql.js, or sqlite-wasm in Node), or a file in OPFS written page by page.
 */
import { Err, Ok, type Result, type TableSchema } from "@lakesync/core";
import { LocalDBError } from "../errors.js";
import { migrateRowStates } from "./migrate-row-states.js";
import { type LocalDBOptions, openEngine } from "./open-engine.js";
import { whenPageHides } from "./page-lifecycle.js";
import type { BindParams, SqlEngine, SqlStatement, SqlValue } from "./sql-engine.js";
import { tablesReadBy } from "./sql-identifier.js";
import { StatementCache } from "./statement-cache.js";
import { Watchers } from "./watchers.js";

export type { LocalDBEngine, LocalDBOptions } from "./open-engine.js";
export type { BindParams, SqlValue } from "./sql-engine.js";

/** A row as SQLite returns it. */
export type SqlRow = Record<string, SqlValue>;

/** Called with fresh results whenever a watched query may have changed. */
export type WatchCallback<T> = (rows: T[]) => void;

/**
 * A SQLite database in WebAssembly. In memory it is saved as a snapshot (debounced, and at once
 * on `persist()`, page hide or visibility change); in OPFS every commit is durable when it returns.
 * Every method returns `Result`.
 *
 * @example
 * const db = unwrapOrThrow(await LocalDB.open({ snapshots: new IDBSnapshotStore() }));
 * db.query("SELECT * FROM todos WHERE completed = 0");
 */
export class LocalDB {
  readonly name: string;
  readonly #db: SqlEngine;
  readonly #watchers = new Watchers();
  readonly #changed = new Set<string>();
  readonly #statements: StatementCache;
  readonly #schemas = new Map<string, TableSchema>();
  readonly #rollbackListeners = new Set<() => void>();
  readonly #changeListeners = new Set<(tables: ReadonlySet<string>) => void>();
  #depth = 0;
  #closed = false;

  private constructor(name: string, db: SqlEngine) {
    this.name = name;
    this.#db = db;
    this.#statements = new StatementCache(db);
    db.onUpdate((table) => this.#changed.add(table.toLowerCase()));
  }

  /** Opens the database, loading its last snapshot (or its OPFS file) when there is one. */
  static async open(options: LocalDBOptions = {}): Promise<Result<LocalDB, LocalDBError>> {
    const engine = await openEngine(options);
    if (!engine.ok) return engine;
    const local = new LocalDB(options.name ?? "lakesync", engine.value);
    local.#loadSchemas();
    // Databases written before the stamp tables keep their merge state as JSON: convert it now.
    const migrated = migrateRowStates(local);
    if (!migrated.ok) {
      local.#release();
      return migrated;
    }
    whenPageHides(() => void local.persist());
    return Ok(local);
  }

  /** Which engine holds the database (`opfs`: every commit is durable when it returns). */
  get engine(): SqlEngine["kind"] {
    return this.#db.kind;
  }

  /**
   * Lets the database grow to about `bytes` without its engine copying it as it grows
   * (`SqlEngine.reserve`; before a large initial sync). A no-op inside a transaction.
   */
  reserve(bytes: number): Result<void, LocalDBError> {
    // Engines that grow in place have nothing to do: their statements stay prepared.
    if (this.#depth > 0 || !this.#db.reserve) return Ok(undefined);
    return this.#guard(`cannot make room for ${bytes} bytes`, () => {
      this.#statements.clear();
      this.#db.reserve?.(bytes);
    });
  }

  /** Runs statements that return nothing (DDL, writes). Watchers of changed tables re-run. */
  exec(sql: string, params?: BindParams): Result<void, LocalDBError> {
    const result = this.#guard(`exec failed: ${sql.slice(0, 80)}`, () => {
      if (params === undefined || params === null) this.#db.exec(sql);
      else this.#statements.get(sql).run(params);
    });
    this.#afterWrite();
    return result;
  }

  /** Runs a query and returns its rows as objects. */
  query<T extends object = SqlRow>(sql: string, params?: BindParams): Result<T[], LocalDBError> {
    return this.#rows(sql, params, (statement) => statement.getAsObject() as T);
  }

  /** Runs a query and returns its rows as arrays of values, in the order of the SELECT list. */
  queryValues(sql: string, params?: BindParams): Result<SqlValue[][], LocalDBError> {
    return this.#rows(sql, params, (statement) => statement.get());
  }

  #rows<T>(
    sql: string,
    params: BindParams | undefined,
    read: (statement: SqlStatement) => T,
  ): Result<T[], LocalDBError> {
    return this.#guard(`query failed: ${sql.slice(0, 80)}`, () => {
      const statement = this.#statements.get(sql);
      try {
        if (params !== undefined) statement.bind(params);
        const rows: T[] = [];
        while (statement.step()) rows.push(read(statement));
        return rows;
      } finally {
        statement.reset();
      }
    });
  }

  /**
   * Calls `listener` after every rolled-back transaction, so caches of database contents can be
   * dropped. Returns a function that stops calling it.
   */
  onRollback(listener: () => void): () => void {
    this.#rollbackListeners.add(listener);
    return () => this.#rollbackListeners.delete(listener);
  }

  /**
   * Calls `listener` with the (lower-cased) names of the tables a committed write changed, after
   * the local watchers ran: how a replica shared by several tabs tells the others what to re-read.
   * Returns a function that stops calling it.
   */
  onChange(listener: (tables: ReadonlySet<string>) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /**
   * Runs `fn` in one SQLite transaction: committed when it returns `Ok`, rolled back when it
   * returns `Err` or throws. Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => Result<T, LocalDBError>): Result<T, LocalDBError> {
    if (this.#closed) return Err(new LocalDBError("the local database is closed"));
    if (this.#depth > 0) return this.#nested(fn);
    const begun = this.#guard("cannot begin a transaction", () => this.#db.exec("BEGIN"));
    if (!begun.ok) return begun;
    this.#depth++;
    let result: Result<T, LocalDBError>;
    try {
      result = fn();
    } catch (cause) {
      result = Err(new LocalDBError("transaction failed", { cause }));
    } finally {
      this.#depth--;
    }
    // A COMMIT to a file can fail (I/O error, storage quota): then nothing of it happened.
    const ended = this.#guard("commit failed", () => this.#end(result.ok));
    if (!ended.ok) result = ended;
    if (!result.ok) this.#rolledBack();
    this.#afterWrite();
    return result;
  }

  #end(commit: boolean): void {
    try {
      this.#db.exec(commit ? "COMMIT" : "ROLLBACK");
    } catch (cause) {
      // SQLite may have rolled back already: the COMMIT's error is the one to report.
      if (commit) this.#guard("", () => this.#db.exec("ROLLBACK"));
      throw cause;
    }
  }

  #rolledBack(): void {
    this.#changed.clear();
    // A schema registered inside the transaction was rolled back with it.
    this.#schemas.clear();
    this.#loadSchemas();
    for (const listener of this.#rollbackListeners) listener();
  }

  #nested<T>(fn: () => Result<T, LocalDBError>): Result<T, LocalDBError> {
    try {
      return fn();
    } catch (cause) {
      return Err(new LocalDBError("transaction failed", { cause }));
    }
  }

  /** Reads a value from the database's own key-value metadata. */
  getMeta(key: string): Result<string | undefined, LocalDBError> {
    const rows = this.query<{ value: string }>("SELECT value FROM _lakesync_meta WHERE key = ?", [
      key,
    ]);
    return rows.ok ? Ok(rows.value[0]?.value) : rows;
  }

  /** Writes a value to the database's own key-value metadata. */
  setMeta(key: string, value: string): Result<void, LocalDBError> {
    return this.exec(
      "INSERT INTO _lakesync_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      [key, value],
    );
  }

  /** The registered schema of a table. */
  schemaOf(table: string): TableSchema | undefined {
    return this.#schemas.get(table);
  }

  /** Every registered schema. */
  schemas(): TableSchema[] {
    return [...this.#schemas.values()];
  }

  /** Records a schema as registered (used by `registerSchema`). */
  rememberSchema(schema: TableSchema): Result<void, LocalDBError> {
    const saved = this.exec(
      "INSERT INTO _lakesync_schemas (tbl, schema) VALUES (?, ?) ON CONFLICT(tbl) DO UPDATE SET schema = excluded.schema",
      [schema.table, JSON.stringify(schema)],
    );
    if (saved.ok) this.#schemas.set(schema.table, schema);
    return saved;
  }

  /**
   * Runs `sql` now and again whenever a table it reads (after FROM/JOIN, or `tables`) changes,
   * locally or through sync. Returns a function that stops watching.
   */
  watch<T extends object = SqlRow>(
    sql: string,
    params: BindParams | undefined,
    callback: WatchCallback<T>,
    tables: readonly string[] = tablesReadBy(sql),
  ): () => void {
    return this.#watchers.add(tables, () => {
      const rows = this.query<T>(sql, params);
      if (rows.ok) callback(rows.value);
    });
  }

  /** True while committed changes wait for the debounced snapshot (never with OPFS). */
  get hasUnsavedChanges(): boolean {
    return this.#db.persistence.pending;
  }

  /**
   * Resolves once every change committed so far is durable: a snapshot written now (after any
   * write already under way), or at once with OPFS, where each COMMIT was durable when it
   * returned. The outbox is acknowledged only after this resolves (see `push-outbox`), so a
   * reload never shows a database older than an empty outbox implies.
   */
  persist(): Promise<Result<void, LocalDBError>> {
    return this.#db.persistence.flush();
  }

  /** Makes every change durable and releases the database. */
  async close(): Promise<Result<void, LocalDBError>> {
    if (this.#closed) return Ok(undefined);
    const saved = await this.#db.persistence.close();
    this.#release();
    return saved;
  }

  #release(): void {
    this.#closed = true;
    this.#watchers.clear();
    this.#rollbackListeners.clear();
    this.#changeListeners.clear();
    this.#statements.clear();
    this.#db.close();
  }

  #guard<T>(message: string, fn: () => T): Result<T, LocalDBError> {
    if (this.#closed) return Err(new LocalDBError("the local database is closed"));
    try {
      return Ok(fn());
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      return Err(new LocalDBError(`${message} (${detail})`, { cause }));
    }
  }

  #afterWrite(): void {
    if (this.#depth > 0 || this.#changed.size === 0) return;
    const changed = new Set(this.#changed);
    this.#changed.clear();
    this.#watchers.notify(changed);
    for (const listener of this.#changeListeners) listener(changed);
    if (!this.#closed) this.#db.persistence.changed();
  }

  #loadSchemas(): void {
    const rows = this.query<{ schema: string }>("SELECT schema FROM _lakesync_schemas");
    if (!rows.ok) return;
    for (const row of rows.value) {
      try {
        const schema = JSON.parse(row.schema) as TableSchema;
        this.#schemas.set(schema.table, schema);
      } catch {
        // A corrupt entry is re-created by the next registerSchema.
      }
    }
  }
}
