/**
 * @module time-travel/history-retention
 * How far back the delta history of a namespace reaches. The history table is append-only;
 * when maintenance expires old deltas it removes rows, which its snapshots' summaries record
 * (`deleted-records`, `deleted-data-files`); a compaction's `replace` snapshot removes files
 * but no rows. A history that never lost a row reaches back to the first flush. Otherwise it
 * reaches back to the table property {@link HISTORY_RETAINED_FROM_PROPERTY} when maintenance
 * sets it (every delta with an HLC at or above it is kept), or else to the oldest HLC it still
 * holds; an HLC before that is `BEYOND_RETENTION`.
 */
import { type Snapshot, snapshotById, type TableMetadata } from "@lakesync/catalogue";
import type { HLCTimestamp } from "@lakesync/core";

/** History-table property: the HLC from which every delta is retained (decimal). */
export const HISTORY_RETAINED_FROM_PROPERTY = "lakesync.history.retained-from-hlc";

function removedRows(snapshot: Snapshot): boolean {
  // A `replace` snapshot (a compaction) rewrites files without changing the rows they hold.
  if (snapshot.summary.operation === "replace") return false;
  const n = (key: string) => Number(snapshot.summary[key] ?? "0");
  return n("deleted-records") > 0 || n("deleted-data-files") > 0 || n("removed-delete-files") > 0;
}

/**
 * The HLC before which the history cannot answer, or `undefined` when it reaches back to the
 * first flush. `oldestHlc` is the lowest HLC among the retained deltas.
 */
export function historyRetainedFrom(
  metadata: TableMetadata,
  oldestHlc: HLCTimestamp | undefined,
): HLCTimestamp | undefined {
  const declared = metadata.properties?.[HISTORY_RETAINED_FROM_PROPERTY];
  if (declared !== undefined && /^\d+$/.test(declared)) return BigInt(declared) as HLCTimestamp;
  const seen = new Set<number>();
  const current = metadata["current-snapshot-id"];
  let at = current === undefined || current === null ? undefined : snapshotById(metadata, current);
  let pruned = false;
  while (at && !seen.has(at["snapshot-id"])) {
    seen.add(at["snapshot-id"]);
    if (removedRows(at)) pruned = true;
    const parent = at["parent-snapshot-id"];
    at = parent === undefined || parent === null ? undefined : snapshotById(metadata, parent);
  }
  return pruned ? oldestHlc : undefined;
}
