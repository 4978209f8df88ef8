/**
 * @module store/sql/sql-driver
 * The synchronous SQL access both durable hosts have: Node's `node:sqlite` and a Durable
 * Object's SQLite storage. The gateway's SQL store is written once against it.
 */

/** A value bound to or read from a statement. Integers come back as numbers. */
export type SqlValue = string | number | Uint8Array | null;

/** A result row by column name. */
export type SqlRow = Readonly<Record<string, SqlValue>>;

/**
 * One SQLite database. `exec` runs one statement with positional `?` parameters (a Durable
 * Object allows at most 100 per statement, so callers stay under it) and returns its rows, blobs
 * as `Uint8Array`. `transaction` runs `work` atomically (all of it or none) and durably once it
 * returns. Both throw on SQLite errors; the store catches them at its boundary.
 */
export interface SqlDriver {
  exec(sql: string, ...params: SqlValue[]): SqlRow[];
  transaction<T>(work: () => T): T;
  /** Releases the database (a Durable Object's storage needs no closing). */
  close?(): void;
}

/** Most parameters one statement binds (the Durable Object limit). */
export const MAX_SQL_PARAMS = 100;
