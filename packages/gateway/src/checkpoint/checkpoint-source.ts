/**
 * @module checkpoint/checkpoint-source
 * A host-injected source of checkpoints (the lake's compacted base files, read by the host's
 * compactor), and how the gateway serves one: the source's chunks for the tables it holds, the
 * gateway's own rows for the tables it does not, and the gateway's log after the point the
 * source was built from. The gateway knows nothing of where the source reads; the host does.
 */
import {
  type Claims,
  Err,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowState,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import type { Log } from "../log/log.js";
import type { RowStates } from "../state/row-states.js";
import { type CheckpointPlan, planCheckpoint } from "./build-checkpoint.js";

/** What the gateway asks a {@link CheckpointSource} for. */
export interface CheckpointSourceRequest {
  readonly gatewayId: string;
  /** The caller's claims (for logging or caching; filtering is `allowed`'s job). */
  readonly claims: Claims;
  /**
   * The gateway's read rule (its sync rules for these claims), judged on a row's merged state;
   * `undefined` when every row is readable. A source must use it, never a copy of the rules.
   */
  readonly allowed: ((table: string, state: RowState) => boolean) | undefined;
  /** The tables the gateway holds rows of: the only ones a source may serve. */
  readonly tables: readonly string[];
  /**
   * Every delta with `seq` at or below this was committed to the gateway's flush target before
   * the request: a source that reads that target holds every delta of its tables up to here,
   * whatever the seqs its tables record, and may serve from here.
   */
  readonly flushedThrough: HLCTimestamp;
  /** Byte budget of one chunk. */
  readonly budgetBytes: number;
}

/** A checkpoint a source built. */
export interface SourcedCheckpoint {
  /** The tables whose rows `chunks` hold completely up to `servedFrom`; the rest come from the gateway. */
  readonly tables: readonly string[];
  /** How many chunks `chunks` yields. */
  readonly chunkCount: number;
  /**
   * The rows of `tables` as chunks, built as they are asked for (the gateway renumbers them and
   * sets their `snapshotHlc`); an `Err` ends them.
   */
  chunks(): AsyncIterableIterator<Result<CheckpointChunk, LakeSyncError>>;
  /**
   * Every delta of `tables` with `seq <= servedFrom` is in `chunks`: the gateway's log after it
   * brings the rest.
   */
  readonly servedFrom: HLCTimestamp;
}

/**
 * Builds checkpoints outside the gateway's own store. `Ok(undefined)` means "not available": the
 * gateway serves the checkpoint from its store. An `Err` does the same (a source is an
 * optimisation, never a reason to refuse an initial sync); a host logs its own failures.
 */
export interface CheckpointSource {
  checkpoint(
    request: CheckpointSourceRequest,
  ): Promise<Result<SourcedCheckpoint | undefined, LakeSyncError>>;
}

/** What {@link planSourcedCheckpoint} reads of the gateway. */
export interface SourcedCheckpointParts {
  readonly rows: RowStates;
  readonly log: Log;
  /** When sync rules last changed (cursors before it expire), if ever. */
  readonly rulesSince: HLCTimestamp | undefined;
}

/**
 * Asks `source` for a checkpoint and, when it has one the gateway's log can continue (its
 * `servedFrom` is not older than the retained log nor than the last change of sync rules),
 * returns the plan a client receives (the source is asked for the tables the gateway holds rows
 * of): the source's chunks, then the gateway's own rows of the
 * tables the source does not hold (cut as usual), numbered across the whole checkpoint, every
 * chunk's `snapshotHlc` being `servedFrom` so the client pulls the log from there. Otherwise
 * `undefined`: serve the checkpoint from the store.
 */
export async function planSourcedCheckpoint(
  source: CheckpointSource,
  request: Omit<CheckpointSourceRequest, "tables">,
  parts: SourcedCheckpointParts,
): Promise<CheckpointPlan | undefined> {
  const sourced = await source.checkpoint({ ...request, tables: parts.rows.tables() });
  if (!sourced.ok || sourced.value === undefined) return undefined;
  const { tables, servedFrom } = sourced.value;
  const served = sourced.value;
  const { log, rulesSince } = parts;
  if (servedFrom < log.horizon || servedFrom > log.head) return undefined;
  if (rulesSince !== undefined && servedFrom < rulesSince) return undefined;
  const covered = new Set(tables);
  const own = planCheckpoint(
    parts.rows,
    servedFrom,
    request.allowed,
    request.budgetBytes,
    (table) => !covered.has(table),
  );
  const chunkCount = served.chunkCount + own.chunkCount;
  return {
    snapshotHlc: servedFrom,
    chunkCount,
    async *chunks() {
      let chunkIndex = 0;
      const number = (chunk: CheckpointChunk) =>
        Ok({ ...chunk, chunkIndex: chunkIndex++, chunkCount, snapshotHlc: servedFrom });
      for await (const chunk of served.chunks()) {
        if (!chunk.ok) return yield chunk;
        // A source serves only the tables it holds; a chunk of another table would duplicate ours.
        if (!covered.has(chunk.value.table)) return yield Err(foreign(chunk.value.table));
        if (chunkIndex >= served.chunkCount) return yield Err(overrun(served.chunkCount));
        yield number(chunk.value);
      }
      if (chunkIndex !== served.chunkCount) return yield Err(overrun(served.chunkCount));
      for await (const chunk of own.chunks()) {
        if (!chunk.ok) return yield chunk;
        yield number(chunk.value);
      }
    },
  };
}

const foreign = (table: string) =>
  new LakeSyncError(
    "CHECKPOINT_FAILED",
    `the checkpoint source sent a chunk of table ${table}, which it does not hold`,
  );
const overrun = (count: number) =>
  new LakeSyncError(
    "CHECKPOINT_FAILED",
    `the checkpoint source did not send the ${count} chunks it announced`,
  );
