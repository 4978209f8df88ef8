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

class SqlJsEngine implements SqlEngine {
  readonly kind = "sql.js";
  readonly persistence: SnapshotPersistence;
  readonly #db: Database;

  constructor(db: Database, context: EngineContext) {
    this.#db = db;
    this.persistence = new SnapshotPersistence({
      name: context.name,
      store: context.snapshots,
      debounceMs: context.debounceMs,
      exportDb: () => db.export(),
    });
  }

  prepare(sql: string): SqlStatement {
    return new SqlJsStatement(this.#db.prepare(sql));
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  onUpdate(listener: (table: string) => void): void {
    this.#db.updateHook((_op, _database, table) => listener(table));
  }

  close(): void {
    this.#db.close();
  }
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
    const db = new SQL.Database(snapshot.value ?? undefined);
    for (const pragma of IN_MEMORY_PRAGMAS) db.run(pragma);
    return Ok(new SqlJsEngine(db, context));
  } catch (cause) {
    return Err(new LocalDBError(`cannot open local database "${context.name}"`, { cause }));
  }
}
