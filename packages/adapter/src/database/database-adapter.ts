/**
 * @module database/database-adapter
 * The relational-backend contract: column-level upserts that keep the newest write per column.
 */
import type {
  AdapterError,
  ColumnDelta,
  ColumnValue,
  HLCTimestamp,
  Result,
  TableSchema,
} from "@lakesync/core";

/** Columns written together by one client at one HLC. */
export interface RowWrite {
  readonly rowId: string;
  readonly hlc: HLCTimestamp;
  /** The writer: it breaks ties between equal HLCs, as on every replica. */
  readonly clientId: string;
  readonly columns: readonly ColumnDelta[];
}

/** A DELETE by one client at an HLC (a tombstone). */
export interface RowDeletion {
  readonly rowId: string;
  readonly hlc: HLCTimestamp;
  readonly clientId: string;
}

/** A live row as read back. */
export interface StoredRow {
  readonly rowId: string;
  readonly values: Readonly<Record<string, ColumnValue>>;
}

/**
 * A SQL database as a flush target. Tables have the primary key `id` (the row id), one column
 * per schema column, and bookkeeping columns `_lakesync_hlc` (the HLC and client id of each
 * column's value) and `_lakesync_deleted_hlc`/`_lakesync_deleted` (the latest tombstone). Writes
 * are merged per column by core's last-writer-wins (higher HLC, then higher client id), so late
 * or repeated deltas never overwrite newer data, in any order, and the stored row equals every
 * replica's. Every method returns a `Result`; none throws.
 */
export interface DatabaseAdapter {
  /** Creates the table, or adds the columns a grown schema has. Never drops or retypes. */
  ensureTable(schema: TableSchema): Promise<Result<void, AdapterError>>;
  /** Column-level upsert of many rows in one transaction (multi-row statements). */
  putRows(table: string, rows: readonly RowWrite[]): Promise<Result<void, AdapterError>>;
  /** Live rows (all, or those with the given ids); deleted rows are left out. */
  getRows(table: string, rowIds?: readonly string[]): Promise<Result<StoredRow[], AdapterError>>;
  /**
   * Tombstones: a row disappears when the DELETE is newer than every column write; a later
   * write brings it back with only the columns written after the DELETE.
   */
  deleteRows(table: string, rows: readonly RowDeletion[]): Promise<Result<void, AdapterError>>;
  /** Releases the connection pool. */
  close(): Promise<void>;
}

/** True when `value` has every method of a {@link DatabaseAdapter}. */
export function isDatabaseAdapter(value: unknown): value is DatabaseAdapter {
  return (
    typeof value === "object" &&
    value !== null &&
    ["ensureTable", "putRows", "getRows", "deleteRows"].every(
      (m) => typeof (value as Record<string, unknown>)[m] === "function",
    )
  );
}
