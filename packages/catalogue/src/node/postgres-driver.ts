/**
 * @module node/postgres-driver
 * The SQL catalogue's driver for PostgreSQL, on a `pg` pool. `?` placeholders become `$n`;
 * a `schema` option puts the catalogue's tables in that schema (through `search_path`).
 */

import { Err, Ok, type Result } from "@lakesync/core";
import pg from "pg";
import type { SqlColumn, SqlDriver, SqlOutcome, SqlValue } from "../catalogue/sql-driver.js";
import { CatalogueError } from "../errors.js";

/** Options of {@link openPostgresDriver}. */
export interface PostgresDriverOptions {
  /** e.g. `postgres://user@127.0.0.1:5432/db`; or give `pool` settings instead. */
  readonly connectionString?: string;
  readonly pool?: pg.PoolConfig;
  /** The schema of the catalogue tables (default: the connection's `search_path`, usually `public`). */
  readonly schema?: string;
}

function failure(cause: unknown): CatalogueError {
  const code = (cause as { code?: string }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (code === "23505")
    return new CatalogueError("ALREADY_EXISTS", `PostgreSQL: ${message}`, { cause });
  return new CatalogueError("CATALOGUE_UNAVAILABLE", `PostgreSQL: ${message}`, { cause });
}

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Opens a `pg` pool for the SQL catalogue (connections are made on first use). */
export function openPostgresDriver(options: PostgresDriverOptions): SqlDriver {
  const schema = options.schema;
  const pool = new pg.Pool({
    ...(options.connectionString ? { connectionString: options.connectionString } : {}),
    max: 4,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema.replace(/[^A-Za-z0-9_]/g, "")}` } : {}),
    ...options.pool,
  });
  let closed = false;
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const execute = async (
    sql: string,
    params: readonly SqlValue[] = [],
  ): Promise<Result<SqlOutcome, CatalogueError>> => {
    try {
      const result = await pool.query(numbered(sql), [...params]);
      return Ok({ rows: result.rows as Record<string, unknown>[], changes: result.rowCount ?? 0 });
    } catch (cause) {
      return Err(failure(cause));
    }
  };
  return {
    dialect: "postgres",
    execute,
    async describe(table: string): Promise<Result<SqlColumn[], CatalogueError>> {
      const columns = await execute(
        `SELECT c.column_name, c.data_type, c.character_maximum_length, c.is_nullable,
                COALESCE(k.ordinal_position, 0) AS pk
           FROM information_schema.columns c
           LEFT JOIN (
             SELECT kcu.column_name, kcu.ordinal_position
               FROM information_schema.table_constraints tc
               JOIN information_schema.key_column_usage kcu
                 ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
              WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() AND tc.table_name = ?
           ) k ON k.column_name = c.column_name
          WHERE c.table_schema = current_schema() AND c.table_name = ?
          ORDER BY c.ordinal_position`,
        [table, table],
      );
      if (!columns.ok) return columns;
      return Ok(
        columns.value.rows.map((r) => {
          const base =
            String(r.data_type) === "character varying" ? "varchar" : String(r.data_type);
          const length = r.character_maximum_length;
          return {
            name: String(r.column_name),
            type: length === null || length === undefined ? base : `${base}(${Number(length)})`,
            nullable: r.is_nullable === "YES",
            primaryKey: Number(r.pk),
          };
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}
