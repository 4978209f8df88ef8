/**
 * @module state/state-bytes
 * A quick estimate of a row's size as checkpoint deltas, for cutting chunks without building
 * them.
 */
import type { RowState } from "@lakesync/core";

/** Bytes of `state` sent as deltas: the row's key and ids, plus each cell's name and value. */
export function stateBytes(table: string, rowId: string, state: RowState): number {
  let bytes = 150 + table.length + rowId.length;
  for (const [name, cell] of Object.entries(state.columns)) {
    const v = cell.value;
    bytes += 24 + name.length + cell.clientId.length;
    bytes +=
      typeof v === "string"
        ? v.length + 2
        : v === null || typeof v !== "object"
          ? 8
          : JSON.stringify(v).length;
  }
  return bytes;
}
