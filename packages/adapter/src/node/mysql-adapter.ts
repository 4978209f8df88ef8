/**
 * @module node/mysql-adapter
 * The `DatabaseAdapter` for MySQL and MariaDB, on `mysql2`.
 */
import mysql from "mysql2/promise";
import { mysqlDialect } from "../database/mysql-dialect.js";
import type { SqlPool } from "../database/sql-dialect.js";
import { SqlRowAdapter } from "../database/sql-row-adapter.js";

/** Options for {@link MySQLAdapter}. */
export interface MySQLAdapterOptions {
  /** e.g. `mysql://root@127.0.0.1:3306/app`; or give `config`. */
  readonly uri?: string;
  readonly config?: mysql.PoolOptions;
  /** The database tables live in; defaults to the one in the URI or config. */
  readonly database?: string;
}

function databaseOf(options: MySQLAdapterOptions): string {
  if (options.database) return options.database;
  if (options.config?.database) return options.config.database;
  if (options.uri) {
    try {
      const name = decodeURIComponent(new URL(options.uri).pathname.slice(1));
      if (name) return name;
    } catch {
      // Fall through to the default.
    }
  }
  return "test";
}

function mysqlPool(options: MySQLAdapterOptions): SqlPool {
  const pool = options.uri
    ? mysql.createPool({
        uri: options.uri,
        connectionLimit: 4,
        connectTimeout: 5_000,
        ...options.config,
      })
    : mysql.createPool({ connectionLimit: 4, connectTimeout: 5_000, ...options.config });
  return {
    async transaction(work) {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const result = await work({
          query: async (sql, params) => {
            const [rows] = await connection.query(sql, params ? [...params] : []);
            return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
          },
        });
        await connection.commit();
        return result;
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Column-level upserts into MySQL or MariaDB: LONGTEXT, DOUBLE and BOOLEAN columns (JSON kept as
 * text so both servers agree), every identifier backtick-quoted, utf8mb4, each call one
 * transaction of multi-row `INSERT ... ON DUPLICATE KEY UPDATE`.
 */
export class MySQLAdapter extends SqlRowAdapter {
  constructor(options: MySQLAdapterOptions) {
    super(mysqlDialect(databaseOf(options)), mysqlPool(options));
  }
}
