/**
 * @module sync/checkpoint-deltas
 * A checkpoint chunk as deltas a replica can apply.
 */
import type { RowDelta } from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";

/**
 * The deltas of a chunk: as sent when the payload is deltas (each row's exact merged state), or
 * one INSERT per materialised row (stamped with the row's newest write) for a rows payload.
 */
export function checkpointDeltas(chunk: CheckpointChunk): readonly RowDelta[] {
  if (chunk.payload.kind === "deltas") return chunk.payload.deltas;
  return chunk.payload.rows.map((row) => ({
    op: "INSERT" as const,
    table: chunk.table,
    rowId: row.rowId,
    clientId: row.clientId,
    columns: row.columns,
    hlc: row.hlc,
    deltaId: "",
  }));
}
