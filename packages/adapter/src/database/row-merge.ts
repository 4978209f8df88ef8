/**
 * @module database/row-merge
 * A stored row's merge state, read from and written to the bookkeeping columns. The merge itself
 * is core's (`applyToRowState`): a database keeps exactly what every replica keeps.
 */
import {
  applyToRowState,
  type ColumnCell,
  type ColumnValue,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  materialiseRow,
  type Row,
  type RowState,
  setOwn,
  type WriteStamp,
} from "@lakesync/core";
import type { RowDeletion, RowWrite } from "./database-adapter.js";

/** The key of the delete's client id inside the per-column stamps document (a reserved name). */
const DELETED_KEY = "_lakesync_deleted";

/** A row nothing was written to. */
export function emptyRow(): RowState {
  return EMPTY_ROW_STATE;
}

/** Folds a column write in, by core's last-writer-wins (HLC, then client id). */
export function mergeWrite(row: RowState, write: RowWrite): RowState {
  return applyToRowState(row, {
    op: "UPDATE",
    table: "",
    rowId: write.rowId,
    clientId: write.clientId,
    columns: write.columns,
    hlc: write.hlc,
    deltaId: "",
  });
}

/** Folds a tombstone in: the latest DELETE is kept. */
export function mergeDeletion(row: RowState, deletion: RowDeletion): RowState {
  return applyToRowState(row, {
    op: "DELETE",
    table: "",
    rowId: deletion.rowId,
    clientId: deletion.clientId,
    columns: [],
    hlc: deletion.hlc,
    deltaId: "",
  });
}

/** The values an application sees, or `null` when the row is deleted or was never written. */
export function visibleValues(row: RowState): Row | null {
  return materialiseRow(row);
}

/**
 * The per-column stamps as stored: a JSON object from column to `[hlc, clientId]` (the HLC as a
 * decimal string), plus the delete's client id under a reserved key.
 */
export function encodeStamps(row: RowState): string {
  const out: Record<string, [string, string] | string> = {};
  for (const [column, cell] of Object.entries(row.columns))
    setOwn(out, column, [cell.hlc.toString(), cell.clientId]);
  if (row.deleted) setOwn(out, DELETED_KEY, row.deleted.clientId);
  return JSON.stringify(out);
}

const HLC_TEXT = /^\d{1,20}$/;

/**
 * Rebuilds a row's merge state from its stored values, stamps and delete HLC. Stamps written
 * before client ids were stored (a bare HLC string) read with an empty client id; anything
 * malformed is dropped rather than trusted.
 */
export function decodeRow(
  values: Readonly<Record<string, ColumnValue>>,
  rawStamps: unknown,
  rawDeletedHlc: unknown,
): RowState {
  let parsed: unknown = rawStamps;
  if (typeof rawStamps === "string") {
    try {
      parsed = JSON.parse(rawStamps);
    } catch {
      parsed = {};
    }
  }
  const columns: Record<string, ColumnCell> = {};
  let deletedClient = "";
  if (typeof parsed === "object" && parsed !== null) {
    for (const [column, stamp] of Object.entries(parsed)) {
      if (column === DELETED_KEY) {
        if (typeof stamp === "string") deletedClient = stamp;
        continue;
      }
      const [hlcText, clientId] = Array.isArray(stamp) ? stamp : [stamp, ""];
      if (typeof hlcText !== "string" || !HLC_TEXT.test(hlcText) || typeof clientId !== "string")
        continue;
      const value = Object.hasOwn(values, column) ? (values[column] ?? null) : null;
      setOwn(columns, column, { value, hlc: BigInt(hlcText) as HLCTimestamp, clientId });
    }
  }
  if (typeof rawDeletedHlc !== "string" || !HLC_TEXT.test(rawDeletedHlc)) return { columns };
  const deleted: WriteStamp = {
    hlc: BigInt(rawDeletedHlc) as HLCTimestamp,
    clientId: deletedClient,
  };
  return { columns, deleted };
}
