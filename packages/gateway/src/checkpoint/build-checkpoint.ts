/**
 * @module checkpoint/build-checkpoint
 * Cutting the gateway's merged rows into checkpoint chunks for a client's initial sync.
 */
import { type HLCTimestamp, type RowDelta, rowStateToDeltas } from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { estimateDeltaBytes } from "../log/log-entry.js";
import type { RowIndex } from "../state/row-index.js";

/** The default byte budget of one chunk. */
export const DEFAULT_CHECKPOINT_BUDGET = 16 * 1024 * 1024;

/**
 * Every row the caller may see (`allowed` judges a row by its table, id and last column values),
 * as deltas that rebuild each row's exact merged state — per-column stamps, and the tombstone of
 * a deleted row, so that a late write older than the delete cannot resurrect it on a replica
 * that started from this checkpoint — grouped by table and cut into chunks of at most
 * `budgetBytes` (estimated; a single row larger than the budget gets a chunk of its own).
 * Chunks are numbered across the whole checkpoint.
 */
export function buildCheckpoint(
  rows: RowIndex,
  snapshotHlc: HLCTimestamp,
  allowed: (table: string, rowId: string) => boolean,
  budgetBytes = DEFAULT_CHECKPOINT_BUDGET,
): CheckpointChunk[] {
  const byTable = new Map<string, RowDelta[][]>();
  for (const { table, rowId, state } of rows.entries()) {
    if (!allowed(table, rowId)) continue;
    let list = byTable.get(table);
    if (!list) {
      list = [];
      byTable.set(table, list);
    }
    list.push(rowStateToDeltas(table, rowId, state));
  }
  const pieces: { table: string; deltas: RowDelta[] }[] = [];
  for (const [table, rowsOfTable] of byTable) {
    let current: RowDelta[] = [];
    let bytes = 0;
    for (const deltas of rowsOfTable) {
      let rowBytes = 0;
      for (const d of deltas) rowBytes += estimateDeltaBytes(d);
      if (current.length > 0 && bytes + rowBytes > budgetBytes) {
        pieces.push({ table, deltas: current });
        current = [];
        bytes = 0;
      }
      for (const d of deltas) current.push(d);
      bytes += rowBytes;
    }
    if (current.length > 0) pieces.push({ table, deltas: current });
  }
  return pieces.map(({ table, deltas }, chunkIndex) => ({
    table,
    payload: { kind: "deltas", deltas },
    chunkIndex,
    chunkCount: pieces.length,
    snapshotHlc,
  }));
}
