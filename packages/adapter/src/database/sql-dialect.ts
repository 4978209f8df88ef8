/**
 * @module database/sql-dialect
 * What differs between PostgreSQL and MySQL for the row adapter: quoting, types, upserts.
 */
import type { ColumnType, ColumnValue } from "@lakesync/core";

/** A connection that runs parameterised SQL inside a transaction. */
export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

/** A pool of sessions. */
export interface SqlPool {
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The SQL one database speaks. */
export interface SqlDialect {
  readonly name: string;
  /** Longest identifier the database accepts. */
  readonly maxIdentifier: number;
  /** Quotes an identifier, doubling the quote character inside it. */
  quote(identifier: string): string;
  /** The qualified, quoted table name. */
  table(name: string): string;
  /** Parameter placeholder number `n` (1-based). */
  placeholder(n: number): string;
  createTable(name: string, columns: readonly { name: string; type: ColumnType }[]): string;
  addColumn(name: string, column: { name: string; type: ColumnType }): string;
  /** Existing column names of a table (query and how to read the rows). */
  columnsQuery(name: string): { sql: string; params: unknown[]; key: string };
  /** `INSERT ... VALUES (...), (...)` that overwrites every given column on key conflict. */
  upsert(name: string, columns: readonly string[], rows: number): string;
  encode(type: ColumnType, value: ColumnValue): unknown;
  decode(type: ColumnType, raw: unknown): ColumnValue;
}

/** Bookkeeping columns every LakeSync table has. */
export const ID = "id";
export const HLCS = "_lakesync_hlc";
export const DELETED_HLC = "_lakesync_deleted_hlc";
export const DELETED = "_lakesync_deleted";
