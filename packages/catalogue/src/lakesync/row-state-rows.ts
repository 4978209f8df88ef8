/**
 * @module lakesync/row-state-rows
 * A row's merge state (core's `RowState`) split over the layout's two tables, and joined again:
 * the visible values go to `ns.T` (only while the row is live), the per-column stamps and the
 * tombstone to `ns._lakesync_state_T`. Values of columns hidden by a tombstone are not kept:
 * they are rebuilt as null, which changes nothing but the tie-break between two writes with the
 * same HLC and client id (only a misbehaving client makes those).
 */
import {
  type ColumnCell,
  type ColumnType,
  type ColumnValue,
  compareWrites,
  Err,
  formatHLC,
  latestHLC,
  materialiseRow,
  Ok,
  parseHLC,
  type Result,
  type Row,
  type RowState,
  type SchemaError,
  setOwn,
  type WriteStamp,
} from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { encodeCell, hlcToLong, longToHlc, type StoredCell } from "./cell-codec.js";
import { ROW_ID_COLUMN } from "./layout.js";

/** A row of `ns._lakesync_state_T`, as written. */
export interface StateRow {
  readonly row_id: string;
  readonly stamps: string;
  readonly deleted_hlc: bigint | null;
  readonly deleted_client: string | null;
  readonly max_hlc: bigint;
}

/** The columns of `ns.T` with their LakeSync types, in schema order. */
export type TypedColumns = readonly { readonly name: string; readonly type: ColumnType }[];

/**
 * The `ns.T` row of a row: `row_id` plus every column's visible value (null where the row has
 * none), or `undefined` when the row is not live. `Err(SchemaError)` for a visible value that
 * does not fit its column, or a non-null visible value of a column `columns` lacks.
 */
export function liveRowOf(
  table: string,
  rowId: string,
  state: RowState,
  columns: TypedColumns,
): Result<Record<string, StoredCell> | undefined, SchemaError | CatalogueError> {
  const row = materialiseRow(state);
  if (row === null) return Ok(undefined);
  const out: Record<string, StoredCell> = {};
  setOwn(out, ROW_ID_COLUMN, rowId);
  const known = new Set<string>();
  for (const column of columns) {
    known.add(column.name);
    const value = Object.hasOwn(row, column.name) ? (row[column.name] ?? null) : null;
    const cell = encodeCell(column.type, value, `${table}.${column.name} of row "${rowId}"`);
    if (!cell.ok) return cell;
    setOwn(out, column.name, cell.value);
  }
  for (const [name, value] of Object.entries(row))
    if (!known.has(name) && value !== null)
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `${table}.${name} of row "${rowId}" has a value but no column in the Iceberg schema`,
        ),
      );
  return Ok(out);
}

/** The `_lakesync_state_T` row of a row, or `undefined` for a state nothing was written to. */
export function stateRowOf(rowId: string, state: RowState): StateRow | undefined {
  const max = latestHLC(state);
  if (max === undefined) return undefined;
  const stamps: Record<string, [string, string]> = {};
  for (const name of Object.keys(state.columns).sort()) {
    const cell = state.columns[name] as ColumnCell;
    setOwn(stamps, name, [formatHLC(cell.hlc), cell.clientId]);
  }
  return {
    row_id: rowId,
    stamps: JSON.stringify(stamps),
    deleted_hlc: state.deleted ? hlcToLong(state.deleted.hlc) : null,
    deleted_client: state.deleted?.clientId ?? null,
    max_hlc: hlcToLong(max),
  };
}

const malformed = (rowId: string, what: string) =>
  Err(new CatalogueError("INVALID_INPUT", `state of row "${rowId}": ${what}`));

/**
 * Joins a `_lakesync_state_T` row (as read: strings and bigints) with the row's values from
 * `ns.T` (`undefined` when the row is not live there) into the row's `RowState`. A column
 * hidden by the tombstone, or absent from `values`, gets the value null. `Err(CatalogueError)`
 * (`INVALID_INPUT`) for a malformed state row.
 */
export function rowStateOf(
  stateRow: Readonly<Record<string, unknown>>,
  values: Row | undefined,
): Result<{ rowId: string; state: RowState }, CatalogueError> {
  const rowId = stateRow.row_id;
  if (typeof rowId !== "string") return malformed(String(rowId), "row_id is not a string");
  let deleted: WriteStamp | undefined;
  if (stateRow.deleted_hlc !== null && stateRow.deleted_hlc !== undefined) {
    const hlc = longToHlc(stateRow.deleted_hlc, `state of row "${rowId}"`);
    if (!hlc.ok) return hlc;
    if (typeof stateRow.deleted_client !== "string")
      return malformed(rowId, "deleted_hlc without deleted_client");
    deleted = { hlc: hlc.value, clientId: stateRow.deleted_client };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(stateRow.stamps));
  } catch (cause) {
    return Err(
      new CatalogueError("INVALID_INPUT", `state of row "${rowId}": stamps are not JSON`, {
        cause,
      }),
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return malformed(rowId, "stamps are not a JSON object");
  const columns: Record<string, ColumnCell> = {};
  for (const [name, stamp] of Object.entries(parsed)) {
    if (!Array.isArray(stamp) || typeof stamp[0] !== "string" || typeof stamp[1] !== "string")
      return malformed(rowId, `the stamp of "${name}" is not [hlc, clientId]`);
    const hlc = parseHLC(stamp[0]);
    if (!hlc.ok) return malformed(rowId, `the stamp of "${name}": ${hlc.error.message}`);
    const stampOf = { hlc: hlc.value, clientId: stamp[1] };
    const hidden = deleted !== undefined && compareWrites(stampOf, deleted) <= 0;
    const value: ColumnValue =
      hidden || !values || !Object.hasOwn(values, name) ? null : (values[name] ?? null);
    setOwn(columns, name, { ...stampOf, value });
  }
  return Ok({ rowId, state: deleted ? { columns, deleted } : { columns } });
}
