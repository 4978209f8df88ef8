/**
 * @module checkpoint/checkpoint-passes
 * The two passes of a lake checkpoint (see `lake-checkpoint`): counting one pinned table's chunks
 * without keeping its rows, and streaming the chunks by reading the same files again and cutting
 * them the same way.
 */
import {
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type RowState,
  rowStateToDeltas,
  setOwn,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { CompactorError } from "../errors.js";
import { report } from "../progress.js";
import { ChunkCutter } from "./chunk-cutter.js";
import type { CheckpointTable, LakeCheckpointOptions } from "./lake-checkpoint.js";
import { bucketsOf, type PinnedTable } from "./pinned-table.js";

/** The memory limits of reading a pinned table (see `bucketsOf`). */
export interface ReadLimits {
  readonly deleteCostLimit: number;
  readonly joinCostLimit: number;
  /** The most bytes of one input part: larger files are read a run of row groups at a time. */
  readonly inputPartBytes: number;
}

/** Checkpoint deltas restate merged rows: a replica applies them by merge, never by id. */
const CHECKPOINT_IDS = { ids: false } as const;

/** The values a sync rule judges a row by: each column's last written value. */
function lastValues(state: RowState): Row {
  const row: Record<string, Row[string]> = {};
  for (const [name, cell] of Object.entries(state.columns)) setOwn(row, name, cell.value);
  return row;
}

/** The first pass over one pinned table: its rows counted and cut without keeping them. */
export async function countTable(
  options: LakeCheckpointOptions,
  pinned: PinnedTable,
  chunkBytes: number,
  limits: ReadLimits,
): Promise<Result<{ table: CheckpointTable; chunks: number }, LakeSyncError>> {
  const { table } = pinned;
  const cutter = new ChunkCutter(table, chunkBytes, false);
  let rows = 0;
  let refused = 0;
  let chunks = 0;
  let bytesRead = 0;
  for await (const bucket of bucketsOf(options.location, pinned, limits)) {
    if (!bucket.ok) return bucket;
    for (const { rowId, state } of bucket.value.rows) {
      if (options.allowed && !options.allowed(table, lastValues(state), rowId, state)) {
        refused++;
        continue;
      }
      rows++;
      if (cutter.add(rowStateToDeltas(table, rowId, state, CHECKPOINT_IDS)).piece) chunks++;
    }
    bytesRead += bucket.value.bytesRead;
    report(options.onProgress, {
      operation: "checkpoint",
      table: `${options.namespace.join(".")}.${table}`,
      files: { done: bucket.value.bucket + 1, total: bucket.value.buckets },
      rows: { done: rows + refused, total: 0 },
      bytes: { read: bytesRead, written: 0 },
    });
  }
  if (cutter.finish()) chunks++;
  const { files: _files, ...described } = pinned;
  return Ok({ table: { ...described, rows, refused }, chunks });
}

/** The second pass: the pinned tables read again and cut exactly as counted. */
export async function* streamChunks(
  context: {
    readonly options: LakeCheckpointOptions;
    readonly chunkBytes: number;
    readonly limits: ReadLimits;
  },
  pinned: readonly PinnedTable[],
  chunkCount: number,
  snapshotHlc: HLCTimestamp,
  fail: (error: LakeSyncError) => Result<never, LakeSyncError>,
): AsyncGenerator<Result<CheckpointChunk, LakeSyncError>> {
  const { options, chunkBytes, limits } = context;
  let chunkIndex = 0;
  const changed = () =>
    fail(
      new CompactorError(
        "CHECKPOINT_FAILED",
        `the lake's files no longer cut into the ${chunkCount} chunks planned`,
      ),
    );
  const chunk = (table: string, deltas: CheckpointChunk["payload"] & { kind: "deltas" }) => ({
    table,
    payload: deltas,
    chunkIndex: chunkIndex++,
    chunkCount,
    snapshotHlc,
  });
  for (const p of pinned) {
    const cutter = new ChunkCutter(p.table, chunkBytes);
    for await (const bucket of bucketsOf(options.location, p, limits)) {
      if (!bucket.ok) return yield fail(bucket.error);
      for (const { rowId, state } of bucket.value.rows) {
        if (options.allowed && !options.allowed(p.table, lastValues(state), rowId, state)) continue;
        const { piece } = cutter.add(rowStateToDeltas(p.table, rowId, state, CHECKPOINT_IDS));
        if (!piece) continue;
        if (chunkIndex >= chunkCount) return yield changed();
        yield Ok(chunk(p.table, { kind: "deltas", deltas: piece.deltas }));
      }
    }
    const last = cutter.finish();
    if (!last) continue;
    if (chunkIndex >= chunkCount) return yield changed();
    yield Ok(chunk(p.table, { kind: "deltas", deltas: last.deltas }));
  }
  if (chunkIndex !== chunkCount) yield changed();
}
