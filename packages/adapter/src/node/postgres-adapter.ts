/**
 * @module node/postgres-adapter
 * The `DatabaseAdapter` for PostgreSQL, on `pg`.
 */
import pg from "pg";
import { postgresDialect } from "../database/postgres-dialect.js";
import type { SqlPool } from "../database/sql-dialect.js";
import { SqlRowAdapter } from "../database/sql-row-adapter.js";

/** Options for {@link PostgresAdapter}. */
export interface PostgresAdapterOptions {
  /** e.g. `postgres://user:pass@host:5432/db`; or give `pool` settings instead. */
  readonly connectionString?: string;
  readonly pool?: pg.PoolConfig;
  /** The schema tables live in. Defaults to `public`. */
  readonly schema?: string;
}

function pgPool(options: PostgresAdapterOptions): SqlPool {
  const pool = new pg.Pool({
    ...(options.connectionString ? { connectionString: options.connectionString } : {}),
    max: 4,
    connectionTimeoutMillis: 5_000,
    ...options.pool,
  });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  return {
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({
          query: async (sql, params) =>
            (await client.query(sql, params ? [...params] : [])).rows as Record<string, unknown>[],
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Column-level upserts into PostgreSQL: TEXT, DOUBLE PRECISION, BOOLEAN and JSONB columns, every
 * identifier double-quoted, each call one transaction of multi-row `INSERT ... ON CONFLICT`.
 */
export class PostgresAdapter extends SqlRowAdapter {
  constructor(options: PostgresAdapterOptions) {
    super(postgresDialect(options.schema ?? "public"), pgPool(options));
  }
}
