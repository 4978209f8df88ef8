/**
 * @module conflict/row-state-deltas
 * Expressing a merged row state as the smallest set of deltas that rebuilds it exactly.
 */
import { deltaId } from "../delta/delta-id.js";
import type { ColumnDelta, RowDelta } from "../delta/types.js";
import type { RowState } from "./row-state.js";

/** The id given to deltas that are never served (a store rewrite): hashing them would be wasted. */
const NO_ID = "0".repeat(64);

/**
 * One UPDATE per distinct write (HLC and client) that still holds a column, plus a DELETE for
 * the tombstone if there is one. Applying them to an empty replica, in any order, yields
 * `state` again, per-column HLCs and the tombstone included — unlike a flat row with one HLC,
 * which would let a stale write win later. With `ids: false` the deltas carry a placeholder id
 * (for storage that never serves them).
 */
export function rowStateToDeltas(
  table: string,
  rowId: string,
  state: RowState,
  options: { readonly ids?: boolean } = {},
): RowDelta[] {
  const withIds = options.ids ?? true;
  const id = (input: Parameters<typeof deltaId>[0]) => (withIds ? deltaId(input) : NO_ID);
  const groups = new Map<
    string,
    { hlc: RowDelta["hlc"]; clientId: string; columns: ColumnDelta[] }
  >();
  // Most cells of a row share one write: the previous cell's group is tried before the map.
  let last: { hlc: RowDelta["hlc"]; clientId: string; columns: ColumnDelta[] } | undefined;
  for (const [column, cell] of Object.entries(state.columns)) {
    let group = last;
    if (!group || group.hlc !== cell.hlc || group.clientId !== cell.clientId) {
      const key = `${cell.hlc}\u0000${cell.clientId}`;
      group = groups.get(key);
      if (!group) {
        group = { hlc: cell.hlc, clientId: cell.clientId, columns: [] };
        groups.set(key, group);
      }
      last = group;
    }
    group.columns.push({ column, value: cell.value });
  }
  const out: RowDelta[] = [];
  for (const { hlc, clientId, columns } of groups.values()) {
    out.push({
      op: "UPDATE",
      table,
      rowId,
      clientId,
      columns,
      hlc,
      deltaId: id({ clientId, hlc, table, rowId, columns }),
    });
  }
  if (state.deleted) {
    const { hlc, clientId } = state.deleted;
    out.push({
      op: "DELETE",
      table,
      rowId,
      clientId,
      columns: [],
      hlc,
      deltaId: id({ clientId, hlc, table, rowId, columns: [] }),
    });
  }
  return out;
}
