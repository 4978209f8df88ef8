/**
 * @module db/statement-cache
 * Prepared statements kept by SQL text: in WebAssembly SQLite preparing a statement costs more
 * than running it, and the merge state is read and written with the same few statements for
 * every delta.
 */
import type { SqlEngine, SqlStatement } from "./sql-engine.js";

/** At most this many statements are kept; the cache is emptied when it is full. */
const CAPACITY = 128;

/** A bounded cache of prepared statements for one database. */
export class StatementCache {
  readonly #db: SqlEngine;
  readonly #statements = new Map<string, SqlStatement>();

  constructor(db: SqlEngine) {
    this.#db = db;
  }

  /** The prepared statement for `sql`, prepared on first use (throws on bad SQL). */
  get(sql: string): SqlStatement {
    const cached = this.#statements.get(sql);
    if (cached) return cached;
    if (this.#statements.size >= CAPACITY) this.clear();
    const statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    return statement;
  }

  /** Frees every statement (before the database closes, or when the cache is full). */
  clear(): void {
    for (const statement of this.#statements.values()) {
      try {
        statement.free();
      } catch {
        // Already released with its database.
      }
    }
    this.#statements.clear();
  }
}
