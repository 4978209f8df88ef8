/**
 * @module node/sqlite-driver
 * The SQL catalogue's driver for SQLite, on Node's built-in `node:sqlite` (no native build).
 * One connection per driver; a file database can be shared by several drivers and processes
 * (SQLite's locking plus a busy timeout), `:memory:` lives as long as the driver.
 */
import { DatabaseSync } from "node:sqlite";
import { Err, Ok, type Result } from "@lakesync/core";
import type { SqlColumn, SqlDriver, SqlOutcome, SqlValue } from "../catalogue/sql-driver.js";
import { CatalogueError } from "../errors.js";

/** Options of {@link openSqliteDriver}. */
export interface SqliteDriverOptions {
  /** A file path, or `:memory:`. */
  readonly path: string;
  /** How long a statement waits for another connection's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

const UNIQUE = new Set([1555, 2067]); // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE

function failure(cause: unknown, sql: string): CatalogueError {
  const errcode = (cause as { errcode?: number }).errcode;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (errcode !== undefined && UNIQUE.has(errcode))
    return new CatalogueError("ALREADY_EXISTS", `SQLite: ${message}`, { cause });
  return new CatalogueError(
    "CATALOGUE_UNAVAILABLE",
    `SQLite: ${message} (in ${sql.slice(0, 60)}…)`,
    { cause },
  );
}

const READS = /^\s*(SELECT|PRAGMA|WITH)\b/i;

/**
 * Opens a SQLite database for the SQL catalogue. `Err(CatalogueError)`
 * (`CATALOGUE_UNAVAILABLE`) when the file cannot be opened.
 */
export function openSqliteDriver(options: SqliteDriverOptions): Result<SqlDriver, CatalogueError> {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(options.path);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  } catch (cause) {
    return Err(failure(cause, "open"));
  }
  let open = true;
  const execute = async (
    sql: string,
    params: readonly SqlValue[] = [],
  ): Promise<Result<SqlOutcome, CatalogueError>> => {
    if (!open)
      return Err(new CatalogueError("CATALOGUE_UNAVAILABLE", "the SQLite driver is closed"));
    try {
      const statement = db.prepare(sql);
      if (READS.test(sql)) return Ok({ rows: statement.all(...params), changes: 0 });
      const info = statement.run(...params);
      return Ok({ rows: [], changes: Number(info.changes) });
    } catch (cause) {
      return Err(failure(cause, sql));
    }
  };
  return Ok({
    dialect: "sqlite",
    execute,
    async describe(table: string): Promise<Result<SqlColumn[], CatalogueError>> {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table))
        return Err(new CatalogueError("INVALID_INPUT", `not a table name: ${table}`));
      const info = await execute(`PRAGMA table_info(${table})`);
      if (!info.ok) return info;
      return Ok(
        info.value.rows.map((r) => ({
          name: String(r.name),
          type: String(r.type).toLowerCase().replace(/\s+/g, ""),
          nullable: Number(r.notnull) === 0 && Number(r.pk) === 0,
          primaryKey: Number(r.pk),
        })),
      );
    },
    async close() {
      if (!open) return;
      open = false;
      db.close();
    },
  });
}
