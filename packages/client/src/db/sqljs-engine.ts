/**
 * @module db/sqljs-engine
 * The sql.js engine: the database in memory, saved as whole snapshots. Used where OPFS is not
 * available (Node, tests, a page's own thread).
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { Database, SqlJsConfig, Statement } from "sql.js";
import { LocalDBError } from "../errors.js";
import { SnapshotPersistence } from "./snapshot-persistence.js";
import {
  type BindParams,
  type EngineContext,
  IN_MEMORY_PRAGMAS,
  type SqlEngine,
  type SqlStatement,
  type SqlValue,
} from "./sql-engine.js";

/** sql.js's own options (e.g. `locateFile`), passed through by `LocalDB.open({ sqlJs })`. */
export type { SqlJsConfig };

class SqlJsStatement implements SqlStatement {
  readonly #statement: Statement;

  constructor(statement: Statement) {
    this.#statement = statement;
  }

  bind(params: BindParams): void {
    this.#statement.bind(params);
  }

  step(): boolean {
    return this.#statement.step();
  }

  getAsObject(): Record<string, SqlValue> {
    return this.#statement.getAsObject();
  }

  get(): SqlValue[] {
    return this.#statement.get();
  }

  reset(): void {
    this.#statement.reset();
  }

  run(params?: BindParams): void {
    this.#statement.run(params ?? undefined);
  }

  free(): void {
    this.#statement.free();
  }
}

/** The sql.js module: what makes databases. */
type SqlJsStatic = Awaited<ReturnType<typeof import("sql.js")["default"]>>;

class SqlJsEngine implements SqlEngine {
  readonly kind = "sql.js";
  readonly persistence: SnapshotPersistence;
  readonly #sql: SqlJsStatic;
  #db: Database;
  #listener: ((table: string) => void) | undefined;

  constructor(sql: SqlJsStatic, db: Database, context: EngineContext) {
    this.#sql = sql;
    this.#db = db;
    this.persistence = new SnapshotPersistence({
      name: context.name,
      store: context.snapshots,
      debounceMs: context.debounceMs,
      // sql.js exports exactly the pages in use, whatever room `reserve` made.
      exportDb: () => this.#db.export(),
    });
  }

  prepare(sql: string): SqlStatement {
    return new SqlJsStatement(this.#db.prepare(sql));
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  onUpdate(listener: (table: string) => void): void {
    this.#listener = listener;
    this.#db.updateHook((_op, _database, table) => listener(table));
  }

  /**
   * Reopens the database from its image in an array of `bytes`: SQLite reads its size from the
   * header and writes new pages into the room after it, so the file never grows (and is never
   * copied) until it passes `bytes`. The old database stays open if the new one cannot be made.
   */
  reserve(bytes: number): void {
    const image = this.#db.export();
    if (bytes <= image.length * 1.25) return;
    const room = new Uint8Array(bytes);
    room.set(image);
    const next = openWith(this.#sql, room);
    this.#db.close();
    this.#db = next;
    const listener = this.#listener;
    if (listener) this.onUpdate(listener);
  }

  close(): void {
    this.#db.close();
  }
}

/** A sql.js database over `image` (or empty), with the in-memory engines' settings. */
function openWith(sql: SqlJsStatic, image: Uint8Array | undefined): Database {
  const db = new sql.Database(image);
  for (const pragma of IN_MEMORY_PRAGMAS) db.run(pragma);
  return db;
}

/**
 * Opens the database in sql.js, from its last snapshot when there is one.
 *
 * @param config passed to sql.js, e.g. `locateFile` to serve `sql-wasm.wasm` from your origin.
 */
export async function openSqlJsEngine(
  context: EngineContext,
  config?: SqlJsConfig,
): Promise<Result<SqlEngine, LocalDBError>> {
  const snapshot = await context.snapshots.load(context.name);
  if (!snapshot.ok) return snapshot;
  try {
    const { default: initSqlJs } = await import("sql.js");
    const SQL = await initSqlJs(config);
    return Ok(new SqlJsEngine(SQL, openWith(SQL, snapshot.value ?? undefined), context));
  } catch (cause) {
    return Err(new LocalDBError(`cannot open local database "${context.name}"`, { cause }));
  }
}
