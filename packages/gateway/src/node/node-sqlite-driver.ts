/**
 * @module node/node-sqlite-driver
 * {@link SqlDriver} over Node's built-in `node:sqlite` (Node 22.13 and later, no native build):
 * the Node host's durable store. Typed here without Node's type definitions, so the gateway
 * package stays runtime-neutral; the module is loaded only when a store is opened.
 */
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { SqlDriver, SqlRow, SqlValue } from "../store/sql/sql-driver.js";

/** The parts of `node:sqlite` the driver uses. */
interface StatementSync {
  all(...params: SqlValue[]): Record<string, SqlValue>[];
}
interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): StatementSync;
  close(): void;
}
interface NodeSqlite {
  DatabaseSync: new (path: string) => DatabaseSync;
}

/** How durable a commit is before it returns. */
export type SqliteDurability = "full" | "normal";

/** Options of {@link openNodeSqlite}. */
export interface NodeSqliteOptions {
  /**
   * `full` (the default) syncs the write-ahead log to disk at every commit, so an acknowledged
   * push survives a power cut; `normal` survives a crash of the process but not of the machine,
   * and commits faster.
   */
  readonly durability?: SqliteDurability;
  /** SQLite's page cache (outside the JavaScript heap), in MiB. Defaults to 64. */
  readonly cacheMiB?: number;
  /** How much of the file is read through a memory map, in MiB. Defaults to 256. */
  readonly mmapMiB?: number;
}

function loadSqlite(): NodeSqlite | undefined {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const mod = host.process?.getBuiltinModule?.("node:sqlite");
  if (typeof mod === "object" && mod !== null && "DatabaseSync" in mod) return mod as NodeSqlite;
  return undefined;
}

/**
 * A SQLite database file through `node:sqlite`, in WAL mode, with a cache of prepared
 * statements. `transaction` nests (an inner call joins the outer transaction).
 */
class NodeSqliteDriver implements SqlDriver {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #depth = 0;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  exec(sql: string, ...params: SqlValue[]): SqlRow[] {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (this.#statements.size >= 256) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement.all(...params);
  }

  transaction<T>(work: () => T): T {
    if (this.#depth > 0) {
      this.#depth++;
      try {
        return work();
      } finally {
        this.#depth--;
      }
    }
    this.#db.exec("BEGIN IMMEDIATE");
    this.#depth = 1;
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    } finally {
      this.#depth = 0;
    }
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}

/**
 * Opens (creating it if needed) the SQLite database at `path` (`:memory:` for one that lives in
 * memory). `Err(STORE_UNAVAILABLE)` when `node:sqlite` is missing (Node before 22.13) or the
 * file cannot be opened.
 */
export function openNodeSqlite(
  path: string,
  options: NodeSqliteOptions = {},
): Result<SqlDriver, LakeSyncError> {
  const sqlite = loadSqlite();
  if (!sqlite)
    return Err(
      new LakeSyncError(
        "STORE_UNAVAILABLE",
        "node:sqlite is not available: use Node 22.13 or later",
      ),
    );
  try {
    const db = new sqlite.DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${options.durability === "normal" ? "NORMAL" : "FULL"}`);
    db.exec("PRAGMA busy_timeout = 5000");
    // Pages cached outside the JavaScript heap; memory-mapped reads of a large store.
    db.exec(`PRAGMA cache_size = -${Math.round((options.cacheMiB ?? 64) * 1024)}`);
    db.exec(`PRAGMA mmap_size = ${(options.mmapMiB ?? 256) * 1024 * 1024}`);
    return Ok(new NodeSqliteDriver(db));
  } catch (cause) {
    return Err(
      new LakeSyncError("STORE_UNAVAILABLE", `cannot open the SQLite database ${path}`, { cause }),
    );
  }
}
