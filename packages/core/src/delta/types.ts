/**
 * @module delta/types
 * The shapes of column-level deltas, rows and table schemas shared by every package.
 */
import type { HLCTimestamp } from "../hlc/timestamp.js";

/** A JSON value: what a column can hold. `undefined` is never a value; `null` is. */
export type ColumnValue =
  | string
  | number
  | boolean
  | null
  | readonly ColumnValue[]
  | { readonly [key: string]: ColumnValue };

/** A row as the application sees it: column name to value. */
export type Row = Readonly<Record<string, ColumnValue>>;

/** The kind of change a delta records. */
export type DeltaOp = "INSERT" | "UPDATE" | "DELETE";

/** The new value of one column. */
export interface ColumnDelta {
  readonly column: string;
  readonly value: ColumnValue;
}

/**
 * One change to one row: INSERT carries every column, UPDATE only the changed ones, DELETE none.
 * `deltaId` is derived from the content (see `deltaId()`), so the same change has the same id.
 */
export interface RowDelta {
  readonly op: DeltaOp;
  readonly table: string;
  readonly rowId: string;
  readonly clientId: string;
  readonly columns: readonly ColumnDelta[];
  readonly hlc: HLCTimestamp;
  readonly deltaId: string;
}

/** The type of a column in a {@link TableSchema}. */
export type ColumnType = "string" | "number" | "boolean" | "json" | "null";

/** The declared columns of a synchronised table, in order. */
export interface TableSchema {
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
}
