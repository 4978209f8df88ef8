/**
 * @module conflict/row-state
 * The mergeable state of one row: a last-writer-wins register per column plus a tombstone.
 * Merging states is commutative, associative and idempotent, so replicas that saw the same
 * deltas, in any order and with duplicates, materialise the same row.
 */
import { canonicalJson } from "../delta/canonical-json.js";
import { setOwn } from "../delta/own-property.js";
import type { ColumnValue, Row, RowDelta } from "../delta/types.js";
import type { HLCTimestamp } from "../hlc/timestamp.js";
import { compareWrites, type WriteStamp } from "./order.js";

/** One column's current value and the write that set it. */
export interface ColumnCell extends WriteStamp {
  readonly value: ColumnValue;
}

/** The mergeable state of one row. */
export interface RowState {
  readonly columns: Readonly<Record<string, ColumnCell>>;
  /** The latest DELETE seen, if any. */
  readonly deleted?: WriteStamp;
}

/** The state of a row nothing has been written to. */
export const EMPTY_ROW_STATE: RowState = { columns: {} };

function cellWins(a: ColumnCell, b: ColumnCell): boolean {
  const order = compareWrites(a, b);
  if (order !== 0) return order > 0;
  // Two different values under one (hlc, clientId) only arise from a misbehaving client; pick
  // by content so every replica still picks the same one.
  return canonicalJson(a.value) >= canonicalJson(b.value);
}

/** Folds one delta into a row state, returning a new state; `state` is not mutated. */
export function applyToRowState(state: RowState, delta: RowDelta): RowState {
  const stamp: WriteStamp = { hlc: delta.hlc, clientId: delta.clientId };
  if (delta.op === "DELETE") {
    if (state.deleted && compareWrites(state.deleted, stamp) >= 0) return state;
    return { columns: state.columns, deleted: stamp };
  }
  let columns: Record<string, ColumnCell> | undefined;
  for (const { column, value } of delta.columns) {
    const current = Object.hasOwn(state.columns, column) ? state.columns[column] : undefined;
    const cell: ColumnCell = { value, hlc: delta.hlc, clientId: delta.clientId };
    if (current && cellWins(current, cell)) continue;
    columns ??= { ...state.columns };
    setOwn(columns, column, cell);
  }
  if (!columns) return state;
  return state.deleted ? { columns, deleted: state.deleted } : { columns };
}

/** Merges two row states; the result is the same whichever order they are given in. */
export function mergeRowStates(a: RowState, b: RowState): RowState {
  const columns: Record<string, ColumnCell> = { ...a.columns };
  for (const [name, cell] of Object.entries(b.columns)) {
    const current = Object.hasOwn(columns, name) ? columns[name] : undefined;
    if (!current || !cellWins(current, cell)) setOwn(columns, name, cell);
  }
  let deleted = a.deleted;
  if (b.deleted && (!deleted || compareWrites(b.deleted, deleted) > 0)) deleted = b.deleted;
  return deleted ? { columns, deleted } : { columns };
}

/**
 * The row an application sees: the columns written after the latest DELETE, or `null` when the
 * row was never written or a DELETE is newer than every column write.
 */
export function materialiseRow(state: RowState): Row | null {
  const row: Record<string, ColumnValue> = {};
  let live = false;
  for (const [name, cell] of Object.entries(state.columns)) {
    if (state.deleted && compareWrites(cell, state.deleted) <= 0) continue;
    setOwn(row, name, cell.value);
    live = true;
  }
  return live ? row : null;
}

/** The highest HLC that contributed to a state, or `undefined` for an empty state. */
export function latestHLC(state: RowState): HLCTimestamp | undefined {
  let max = state.deleted?.hlc;
  for (const cell of Object.values(state.columns))
    if (max === undefined || cell.hlc > max) max = cell.hlc;
  return max;
}
