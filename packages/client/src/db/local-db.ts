/**
 * @module db/local-db
 * The client's local SQLite database (sql.js), persisted as snapshots.
 */
import { Err, Ok, type Result, type TableSchema } from "@lakesync/core";
import initSqlJs, {
  type BindParams,
  type Database,
  type SqlJsConfig,
  type SqlValue,
  type Statement,
} from "sql.js";
import { LocalDBError } from "../errors.js";
import { CLIENTS_DDL } from "./client-refs.js";
import { migrateRowStates } from "./migrate-row-states.js";
import { whenPageHides } from "./page-lifecycle.js";
import { MemorySnapshotStore, type SnapshotStore } from "./snapshot-store.js";
import { tablesReadBy } from "./sql-identifier.js";
import { StatementCache } from "./statement-cache.js";

/** Options for {@link LocalDB.open}. */
export interface LocalDBOptions {
  /** The database name: the key of its snapshot. Defaults to `lakesync`. */
  readonly name?: string;
  /** Where snapshots live; defaults to memory (nothing survives a reload). */
  readonly snapshots?: SnapshotStore;
  /** Passed to sql.js, e.g. `locateFile` to serve `sql-wasm.wasm` from your own origin. */
  readonly sqlJs?: SqlJsConfig;
  /**
   * Delay before a change is written to the snapshot store (ms). Defaults to 250; a database
   * whose last snapshot took longer to write waits twice that long, so snapshots of a large
   * database never take more than a third of the time.
   */
  readonly persistDebounceMs?: number;
}

/** A row as SQLite returns it. */
export type SqlRow = Record<string, SqlValue>;

/** Called with fresh results whenever a watched query may have changed. */
export type WatchCallback<T> = (rows: T[]) => void;

interface Watcher {
  readonly tables: ReadonlySet<string>;
  readonly run: () => void;
}

const META_DDL = [
  "CREATE TABLE IF NOT EXISTS _lakesync_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
  CLIENTS_DDL,
  "CREATE TABLE IF NOT EXISTS _lakesync_schemas (tbl TEXT PRIMARY KEY NOT NULL, schema TEXT NOT NULL)",
];

/**
 * A SQLite database in WebAssembly, kept in memory and saved as a snapshot (debounced, and at
 * once on `persist()`, page hide or visibility change). Every method returns `Result`.
 *
 * @example
 * const db = unwrapOrThrow(await LocalDB.open({ snapshots: new IDBSnapshotStore() }));
 * db.query("SELECT * FROM todos WHERE completed = 0");
 */
export class LocalDB {
  readonly name: string;
  readonly #db: Database;
  readonly #snapshots: SnapshotStore;
  readonly #debounceMs: number;
  readonly #watchers = new Set<Watcher>();
  readonly #changed = new Set<string>();
  readonly #statements: StatementCache;
  readonly #schemas = new Map<string, TableSchema>();
  readonly #rollbackListeners = new Set<() => void>();
  readonly #changeListeners = new Set<(tables: ReadonlySet<string>) => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #depth = 0;
  #closed = false;
  #saving: Promise<Result<void, LocalDBError>> = Promise.resolve(Ok(undefined));
  #lastSaveMs = 0;

  private constructor(name: string, db: Database, snapshots: SnapshotStore, debounceMs: number) {
    this.name = name;
    this.#db = db;
    this.#snapshots = snapshots;
    this.#debounceMs = debounceMs;
    this.#statements = new StatementCache(db);
    db.updateHook((_op, _database, table) => {
      this.#changed.add(table.toLowerCase());
    });
  }

  /** Opens the database, loading its last snapshot when there is one. */
  static async open(options: LocalDBOptions = {}): Promise<Result<LocalDB, LocalDBError>> {
    const name = options.name ?? "lakesync";
    const snapshots = options.snapshots ?? new MemorySnapshotStore();
    const snapshot = await snapshots.load(name);
    if (!snapshot.ok) return snapshot;
    let db: Database;
    try {
      const SQL = await initSqlJs(options.sqlJs);
      db = new SQL.Database(snapshot.value ?? undefined);
      // The database lives in memory and is saved as whole snapshots: a rollback journal written
      // to sql.js's in-memory file system only costs time (it was the top cost of every write).
      db.run("PRAGMA journal_mode = MEMORY");
      db.run("PRAGMA synchronous = OFF");
      db.run("PRAGMA temp_store = MEMORY");
      // One connection owns the file: without exclusive locking SQLite looks for a hot journal in
      // sql.js's file system at every transaction, a fifth of the cost of a tracked write.
      db.run("PRAGMA locking_mode = EXCLUSIVE");
      for (const ddl of META_DDL) db.run(ddl);
    } catch (cause) {
      return Err(new LocalDBError(`cannot open local database "${name}"`, { cause }));
    }
    const local = new LocalDB(name, db, snapshots, options.persistDebounceMs ?? 250);
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

  /** Runs statements that return nothing (DDL, writes). Watchers of changed tables re-run. */
  exec(sql: string, params?: BindParams): Result<void, LocalDBError> {
    const result = this.#guard(`exec failed: ${sql.slice(0, 80)}`, () => {
      if (params === undefined) this.#db.exec(sql);
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
    read: (statement: Statement) => T,
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
    this.#db.run("BEGIN");
    this.#depth++;
    let result: Result<T, LocalDBError>;
    try {
      result = fn();
    } catch (cause) {
      result = Err(new LocalDBError("transaction failed", { cause }));
    } finally {
      this.#depth--;
    }
    this.#db.run(result.ok ? "COMMIT" : "ROLLBACK");
    if (!result.ok) this.#rolledBack();
    this.#afterWrite();
    return result;
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
    const watcher: Watcher = {
      tables: new Set(tables.map((t) => t.toLowerCase())),
      run: () => {
        const rows = this.query<T>(sql, params);
        if (rows.ok) callback(rows.value);
      },
    };
    this.#watchers.add(watcher);
    watcher.run();
    return () => this.#watchers.delete(watcher);
  }

  /** True while changes wait for the debounced snapshot. */
  get hasUnsavedChanges(): boolean {
    return this.#timer !== undefined;
  }

  /** Writes a snapshot now, waiting for any write already under way. */
  persist(): Promise<Result<void, LocalDBError>> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closed) return this.#saving;
    const started = Date.now();
    const bytes = this.#db.export();
    // Chained so snapshots land in order even when saves overlap.
    this.#saving = this.#saving.then(async () => {
      const saved = await this.#snapshots.save(this.name, bytes);
      this.#lastSaveMs = Date.now() - started;
      return saved;
    });
    return this.#saving;
  }

  /** Persists a final snapshot and releases the database. */
  async close(): Promise<Result<void, LocalDBError>> {
    if (this.#closed) return Ok(undefined);
    const saved = await this.persist();
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
    for (const watcher of this.#watchers) {
      for (const table of changed) {
        if (watcher.tables.has(table)) {
          watcher.run();
          break;
        }
      }
    }
    for (const listener of this.#changeListeners) listener(changed);
    if (this.#timer === undefined && !this.#closed) {
      const delay = Math.max(this.#debounceMs, 2 * this.#lastSaveMs);
      this.#timer = setTimeout(() => void this.persist(), delay);
    }
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
