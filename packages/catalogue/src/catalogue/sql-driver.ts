/**
 * @module catalogue/sql-driver
 * The small database surface the SQL catalogue needs, so one catalogue runs on SQLite
 * (`node:sqlite`) and PostgreSQL (`pg`) alike; the drivers live in `@lakesync/catalogue/node`.
 */
import type { Result } from "@lakesync/core";
import type { CatalogueError } from "../errors.js";

/** A statement parameter. */
export type SqlValue = string | number | null;

/** What a statement returned: its rows (queries) and how many rows it changed (writes). */
export interface SqlOutcome {
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly changes: number;
}

/** One column of a table as the database describes it (for checking the schema). */
export interface SqlColumn {
  readonly name: string;
  /** Lower case, e.g. `varchar(255)`. */
  readonly type: string;
  readonly nullable: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly primaryKey: number;
}

/**
 * A connection (or pool) to one database. Statements use `?` placeholders. Errors are
 * `CatalogueError`s: `ALREADY_EXISTS` for a primary-key or unique violation,
 * `CATALOGUE_UNAVAILABLE` for everything else (connection lost, SQL error), with the driver's
 * error as `cause`. No method throws.
 */
export interface SqlDriver {
  readonly dialect: "sqlite" | "postgres";
  execute(sql: string, params?: readonly SqlValue[]): Promise<Result<SqlOutcome, CatalogueError>>;
  /** The columns of `table` in declaration order; empty when the table does not exist. */
  describe(table: string): Promise<Result<SqlColumn[], CatalogueError>>;
  close(): Promise<void>;
}
