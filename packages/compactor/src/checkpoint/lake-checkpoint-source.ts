/**
 * @module checkpoint/lake-checkpoint-source
 * {@link planLakeCheckpoint} shaped as the gateway's checkpoint source (`CheckpointSource` of
 * `@lakesync/gateway`, which this package does not import: the shapes here match it
 * structurally), so a host hands it to `SyncGateway.open({ checkpointSource })`. Each request is
 * planned with the gateway's own read rule and streamed chunk by chunk as the client reads it, so
 * serving a checkpoint holds one bucket's rows and one chunk, whatever the lake's size. A table
 * counts as held by the lake only when its snapshot records how far the gateway's log it holds,
 * and the gateway serves the other tables (and every checkpoint the lake cannot plan) from its
 * own store. The lake must be the one the gateway flushes to: `servedFrom` is then at least the
 * gateway's flushed watermark (every table holds all its deltas up to it, however long ago the
 * table was last written), so the gateway's log, which trims only below that watermark, always
 * continues the checkpoint.
 *
 * @example
 * const source = lakeCheckpointSource({ catalogue, location, memoryBudgetBytes: 32 << 20 });
 * const gateway = await SyncGateway.open({ gatewayId: "gw", target, checkpointSource: source });
 */
import type { Catalogue, LakeLocation, Namespace } from "@lakesync/catalogue";
import {
  type Claims,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowState,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { planLakeCheckpoint } from "./lake-checkpoint.js";

/** What the gateway asks for (the gateway's `CheckpointSourceRequest`). */
export interface LakeCheckpointRequest {
  readonly gatewayId: string;
  readonly claims: Claims;
  /** The gateway's read rule on a row's merge state; `undefined`: every row. */
  readonly allowed: ((table: string, state: RowState) => boolean) | undefined;
  /** The tables the gateway holds rows of. */
  readonly tables: readonly string[];
  /** Every delta at or below this `seq` was committed to the lake before the request. */
  readonly flushedThrough: HLCTimestamp;
  readonly budgetBytes: number;
}

/** What the lake serves (the gateway's `SourcedCheckpoint`). */
export interface LakeSourcedCheckpoint {
  readonly tables: readonly string[];
  readonly chunkCount: number;
  /** The chunks in order, read from the lake as they are asked for; an `Err` ends them. */
  chunks(): AsyncIterableIterator<Result<CheckpointChunk, LakeSyncError>>;
  readonly servedFrom: HLCTimestamp;
}

/** Options of {@link lakeCheckpointSource}. */
export interface LakeCheckpointSourceOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  /** A gateway's namespace (default `[gatewayId]`, as the Iceberg flush target's). */
  readonly namespace?: (gatewayId: string) => Namespace;
  /** Memory for one bucket's delete keys (default 96 MiB; less when the host holds caches). */
  readonly memoryBudgetBytes?: number;
  /** Told of every checkpoint the lake failed to plan or stream. */
  readonly onError?: (gatewayId: string, error: LakeSyncError) => void;
}

/**
 * A checkpoint source over the lake (see the module comment). Its `checkpoint` answers
 * `Ok(undefined)` when the lake holds none of the tables yet, and the `Err` of
 * {@link planLakeCheckpoint} (after telling `onError`) when the lake cannot be read.
 */
export function lakeCheckpointSource(options: LakeCheckpointSourceOptions): {
  checkpoint(
    request: LakeCheckpointRequest,
  ): Promise<Result<LakeSourcedCheckpoint | undefined, LakeSyncError>>;
} {
  return {
    async checkpoint(request) {
      const { allowed, gatewayId } = request;
      const planned = await planLakeCheckpoint({
        catalogue: options.catalogue,
        location: options.location,
        namespace: options.namespace?.(gatewayId) ?? [gatewayId],
        gatewayId,
        tables: request.tables,
        chunkBytes: request.budgetBytes,
        // A table whose snapshot records no log range cannot say where the log must take over.
        include: (t) => t.snapshotId !== undefined && t.flushedThrough !== undefined,
        ...(allowed ? { allowed: (table, _row, _rowId, state) => allowed(table, state) } : {}),
        ...(options.memoryBudgetBytes === undefined
          ? {}
          : { memoryBudgetBytes: options.memoryBudgetBytes }),
      });
      if (!planned.ok) {
        options.onError?.(gatewayId, planned.error);
        return planned;
      }
      const plan = planned.value;
      if (plan.tables.length === 0) return Ok(undefined);
      const servedFrom =
        request.flushedThrough > plan.servedFrom ? request.flushedThrough : plan.servedFrom;
      return Ok({
        tables: plan.tables.map((t) => t.table),
        chunkCount: plan.chunkCount,
        async *chunks() {
          for await (const chunk of plan.chunks()) {
            if (!chunk.ok) options.onError?.(gatewayId, chunk.error);
            yield chunk;
          }
        },
        servedFrom,
      });
    },
  };
}
