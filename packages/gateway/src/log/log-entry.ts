/**
 * @module log/log-entry
 * One accepted delta in the gateway's change log.
 */
import type { HLCTimestamp, Row, RowDelta } from "@lakesync/core";

/**
 * The values of the columns that sync rules filter on, just before and just after a delta was
 * merged (last written values, deletes ignored; `null` for a row never written). Pulls compare
 * them to tell a row that stays in a client's view from one that enters or leaves it.
 */
export interface RowView {
  readonly before: Row | null;
  readonly after: Row | null;
}

/**
 * A delta as the gateway accepted it. `seq` is the gateway's own HLC at acceptance: unique,
 * strictly increasing in log order, and the cursor clients pull from. The delta keeps the
 * client's HLC, which is what conflict resolution uses. `view` is recorded for tables whose
 * rows sync rules filter.
 */
export interface LogEntry {
  readonly seq: HLCTimestamp;
  readonly delta: RowDelta;
  readonly view?: RowView;
}

/** A rough count of the bytes one delta holds in memory and on the wire. */
export function estimateDeltaBytes(delta: RowDelta): number {
  let bytes = 48 + delta.table.length + delta.rowId.length + delta.clientId.length + 32;
  for (const c of delta.columns) {
    bytes += 8 + c.column.length;
    const v = c.value;
    if (typeof v === "string") bytes += v.length + 2;
    else if (typeof v === "number" || typeof v === "boolean" || v === null) bytes += 8;
    else bytes += JSON.stringify(v).length;
  }
  return bytes;
}
