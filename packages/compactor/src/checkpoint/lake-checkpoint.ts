/**
 * @module checkpoint/lake-checkpoint
 * A new client's initial sync served from the lake instead of the gateway's memory. Each synced
 * table is pinned at the current snapshot of `ns.T` and the state snapshot paired with it; each
 * row's exact merge state (per-column stamps, tombstones included) is turned into the deltas that
 * rebuild it (`rowStateToDeltas`), filtered by the caller's row predicate (sync rules at serve
 * time) and cut into byte-budgeted `CheckpointChunk`s. The plan says, per table, up to which
 * `seq` of the gateway's log the snapshot holds (its log ranges); the gateway serves its log
 * after the lowest of them.
 *
 * Two passes, so a checkpoint of any size is served within a fixed memory: planning reads the
 * pinned files bucket by bucket to count the chunks (a client is told the count before the
 * first chunk); streaming reads them again, in the same order, and builds each chunk when it is
 * asked for. Memory is one bucket's rows and one chunk, whatever the table's size. Both passes
 * read the same immutable files; if one disappears in between (snapshot expiry with no
 * retention), the stream ends with an `Err` and the client's initial sync is retried.
 *
 * Contract for the gateway: serve the chunks, then the log from `servedFrom` (exclusive),
 * filtered as pulls are. A delta both in a chunk and in the log is applied twice, which the merge
 * makes harmless. Tables the lake does not hold yet are not in the chunks: none of their deltas
 * was flushed, so the gateway's log still holds them all (it trims only flushed entries); serve
 * those tables from the gateway's own state as before.
 *
 * @example
 * const plan = await planLakeCheckpoint({ catalogue, location, namespace: ["gw"], gatewayId: "gw",
 *   allowed: (table, row) => rowAllowed(table, row, rules, claims) });
 * if (plan.ok) for await (const chunk of plan.value.chunks()) if (chunk.ok) send(chunk.value);
 */
import type { Catalogue, LakeLocation, Namespace } from "@lakesync/catalogue";
import {
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type RowState,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { compactionLimits } from "../compaction/compaction-options.js";
import { CompactorError, wrapError } from "../errors.js";
import { namespaceTables } from "../lake-tables.js";
import type { ProgressListener } from "../progress.js";
import { countTable, streamChunks } from "./checkpoint-passes.js";
import { estimateDeltaBytes } from "./chunk-cutter.js";
import { type PinnedTable, pinTable } from "./pinned-table.js";

/** The default byte budget of one chunk (the gateway's: 16 MiB). */
export const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;

/** What {@link planLakeCheckpoint} reads and how it cuts it. */
export interface LakeCheckpointOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
  /** Whose log ranges count (default: any gateway's). */
  readonly gatewayId?: string;
  /** The synced tables to include (default: every synced table of the namespace). */
  readonly tables?: readonly string[];
  /**
   * Whether the caller may receive a row, judged by the last value written to each of its
   * columns (deletes ignored, as the gateway judges; values hidden by a tombstone are not kept in
   * the lake and read as null). `state` is the row's whole merge state, for a caller (the
   * gateway) whose rule judges states. Default: every row. It must give the same answer for
   * the same row in both passes.
   */
  readonly allowed?: (table: string, row: Row, rowId: string, state: RowState) => boolean;
  /**
   * Which of the tables found to include: those the caller can continue with its log (default:
   * every table the lake holds). Judged after pinning, before any row is read.
   */
  readonly include?: (table: CheckpointTable) => boolean;
  /** Estimated bytes of one chunk (default 16 MiB, at least 1024). */
  readonly chunkBytes?: number;
  /** Memory for the delete keys of one bucket (as the compactor's budget; default 96 MiB). */
  readonly memoryBudgetBytes?: number;
  readonly onProgress?: ProgressListener;
}

/** What the checkpoint holds of one table. */
export interface CheckpointTable {
  readonly table: string;
  /** The snapshot of `ns.T` read, and the state snapshot paired with it. */
  readonly snapshotId: number | undefined;
  readonly stateSnapshotId: number | undefined;
  /** The highest `seq` of the gateway's log the snapshot holds (`undefined`: none recorded). */
  readonly flushedThrough: HLCTimestamp | undefined;
  /** Rows to send (tombstoned ones included) and rows the predicate refused. */
  readonly rows: number;
  readonly refused: number;
}

/** A checkpoint planned from the lake, streamed chunk by chunk. */
export interface LakeCheckpointPlan {
  readonly tables: readonly CheckpointTable[];
  /** Serve the gateway's log after this `seq`: the lowest `flushedThrough` (zero if none). */
  readonly servedFrom: HLCTimestamp;
  readonly chunkCount: number;
  /**
   * The chunks, numbered across the whole checkpoint, each `snapshotHlc` being `servedFrom`,
   * read from the lake as they are asked for. An `Err` (a file unreadable, or the files no
   * longer cutting into `chunkCount` chunks) ends the stream.
   */
  chunks(): AsyncGenerator<Result<CheckpointChunk, LakeSyncError>>;
}

/** A checkpoint built whole from the lake (see {@link lakeCheckpoint}). */
export interface LakeCheckpoint {
  readonly chunks: readonly CheckpointChunk[];
  readonly tables: readonly CheckpointTable[];
  readonly servedFrom: HLCTimestamp;
}

/**
 * Plans a checkpoint from the lake (see the module comment): pins the tables, counts their
 * chunks. `Err(CompactorError)`: `INVALID_OPTIONS` (a chunk budget below 1024 bytes),
 * `CHECKPOINT_FAILED` (the cause is the catalogue's, storage's or reader's error), `OVER_BUDGET`
 * (one bucket's delete keys past the budget).
 */
export async function planLakeCheckpoint(
  options: LakeCheckpointOptions,
): Promise<Result<LakeCheckpointPlan, LakeSyncError>> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isFinite(chunkBytes) || chunkBytes < 1024)
    return Err(new CompactorError("INVALID_OPTIONS", "chunkBytes must be at least 1024"));
  const limits = compactionLimits(
    options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes },
  );
  if (!limits.ok) return limits;
  const name = options.namespace.join(".");
  const fail = (error: LakeSyncError) =>
    Err(
      error.code === "OVER_BUDGET"
        ? error
        : wrapError("CHECKPOINT_FAILED", `building a checkpoint of ${name}`, error),
    );
  let names = options.tables;
  if (!names) {
    const listed = await namespaceTables(options.catalogue, options.namespace);
    if (!listed.ok)
      return listed.error.code === "NO_SUCH_NAMESPACE" ? Ok(emptyPlan()) : fail(listed.error);
    names = listed.value.synced;
  }
  const pinned: PinnedTable[] = [];
  for (const table of names) {
    const pin = await pinTable(options, options.namespace, table, options.gatewayId);
    if (!pin.ok) return fail(pin.error);
    if (pin.value) pinned.push(pin.value);
  }
  const included = pinned.filter(
    (p) => !options.include || options.include({ ...p, rows: 0, refused: 0 }),
  );
  // A bucket's values are joined in slices of at most a quarter of the budget (see `bucketsOf`).
  const read = {
    deleteCostLimit: limits.value.deleteCostLimit,
    joinCostLimit: limits.value.outputCostLimit,
    inputPartBytes: limits.value.inputFileLimitBytes,
  };
  const tables: CheckpointTable[] = [];
  const counts: number[] = [];
  for (const p of included) {
    const counted = await countTable(options, p, chunkBytes, read);
    if (!counted.ok) return fail(counted.error);
    tables.push(counted.value.table);
    counts.push(counted.value.chunks);
  }
  let servedFrom: HLCTimestamp | undefined;
  for (const t of tables)
    if (
      t.flushedThrough !== undefined &&
      (servedFrom === undefined || t.flushedThrough < servedFrom)
    )
      servedFrom = t.flushedThrough;
  const from = servedFrom ?? HLC_ZERO;
  const chunkCount = counts.reduce((n, c) => n + c, 0);
  const stream = { options, chunkBytes, limits: read };
  return Ok({
    tables,
    servedFrom: from,
    chunkCount,
    chunks: () => streamChunks(stream, included, chunkCount, from, fail),
  });
}

/**
 * Builds a whole checkpoint from the lake in memory: {@link planLakeCheckpoint}'s chunks,
 * collected. For tools and tests; a server streams the plan instead. `maxBytes` bounds the
 * estimated bytes of deltas held (`Err(OVER_BUDGET)` past it).
 */
export async function lakeCheckpoint(
  options: LakeCheckpointOptions & { readonly maxBytes?: number },
): Promise<Result<LakeCheckpoint, LakeSyncError>> {
  const plan = await planLakeCheckpoint(options);
  if (!plan.ok) return plan;
  const chunks: CheckpointChunk[] = [];
  let held = 0;
  for await (const chunk of plan.value.chunks()) {
    if (!chunk.ok) return chunk;
    chunks.push(chunk.value);
    if (options.maxBytes === undefined || chunk.value.payload.kind !== "deltas") continue;
    for (const d of chunk.value.payload.deltas) held += estimateDeltaBytes(d);
    if (held > options.maxBytes)
      return Err(
        new CompactorError(
          "OVER_BUDGET",
          `the checkpoint holds more than ${options.maxBytes} bytes of deltas`,
        ),
      );
  }
  return Ok({ chunks, tables: plan.value.tables, servedFrom: plan.value.servedFrom });
}

function emptyPlan(): LakeCheckpointPlan {
  return {
    tables: [],
    servedFrom: HLC_ZERO,
    chunkCount: 0,
    async *chunks() {},
  };
}
