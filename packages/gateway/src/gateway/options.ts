/**
 * @module gateway/options
 * How a {@link SyncGateway} is configured.
 */
import type { LakeSyncError, SyncRules } from "@lakesync/core";
import type { FlushThresholds } from "../buffer/delta-buffer.js";
import type { CheckpointSource } from "../checkpoint/checkpoint-source.js";
import type { FlushTargetSpec } from "../flush/targets/target-spec.js";
import type { PushAuthoriser } from "../push/push-authoriser.js";
import type { SchemaPolicy } from "../registry/schema-manager.js";
import type { GatewayStore } from "../store/gateway-store.js";

/** Options for `SyncGateway.open`. */
export interface SyncGatewayOptions {
  /** The gateway's id: names its lake folder and scopes tokens (`gw` claim). */
  readonly gatewayId: string;
  /** Durable storage for accepted deltas. Defaults to memory (nothing survives a restart). */
  readonly store?: GatewayStore;
  /** Where flushes go. Without one, `flush()` is an error and deltas stay buffered. */
  readonly target?: FlushTargetSpec;
  /** Automatic flush thresholds; `false` leaves flushing to explicit `flush()` calls. */
  readonly autoFlush?:
    | false
    | {
        /** Defaults to 4 MiB of estimated delta bytes. */
        readonly maxBytes?: number;
        /** Defaults to 30 s. */
        readonly maxAgeMs?: number;
        /**
         * Flush from inside `handlePush` once the byte threshold is passed (default true). The
         * Worker turns this off and flushes from an alarm instead.
         */
        readonly onPush?: boolean;
      };
  /** First and longest delay between retries of a failed flush (ms). Defaults 1 s and 60 s. */
  readonly retry?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Defaults to `strict`: pushes for unknown tables or columns are rejected. */
  readonly schemaPolicy?: SchemaPolicy;
  /** Sync rules to start with when the store holds none. Without rules every row is visible. */
  readonly syncRules?: SyncRules;
  /**
   * Decides what a caller may write. Defaults to the write grants of the sync rules in force.
   */
  readonly authoriser?: PushAuthoriser;
  /** The wall clock (ms); defaults to `Date.now`. */
  readonly now?: () => number;
  /** Largest accepted drift of a client clock ahead of ours (ms). Defaults to 5000. */
  readonly maxDriftMs?: number;
  /** Most deltas in one push. Defaults to 10,000. */
  readonly maxPushDeltas?: number;
  /**
   * Largest value of one column in bytes (UTF-8; JSON text for JSON values); larger ones are
   * refused with `PAYLOAD_TOO_LARGE` (HTTP 413) naming the column. Defaults to 1 MiB.
   */
  readonly maxValueBytes?: number;
  /** Most deltas in one pull page, and the default page. Defaults 10,000 and 1,000. */
  readonly maxPullDeltas?: number;
  readonly defaultPullDeltas?: number;
  /**
   * Flushed log entries kept in memory for incremental pulls. Older ones are dropped; a client
   * whose cursor is older gets `CURSOR_EXPIRED` and starts again from a checkpoint. Defaults to
   * 1,000,000.
   */
  readonly logRetention?: number;
  /**
   * Rewrite the store (when it supports it) as merged rows plus the retained log once this many
   * log entries were dropped from memory since the last rewrite. Defaults to 100,000.
   */
  readonly logRewriteAfterTrimmed?: number;
  /** @deprecated The old name of {@link SyncGatewayOptions.logRewriteAfterTrimmed}. */
  readonly compactAfterTrimmed?: number;
  /** Byte budget of one checkpoint chunk. Defaults to 4 MiB. */
  readonly checkpointBudgetBytes?: number;
  /**
   * Where checkpoints come from before the gateway's own rows (the host's lake, after
   * compaction); tables it does not hold, and every checkpoint it cannot serve, come from the
   * store. Defaults to none: the store serves every checkpoint.
   */
  readonly checkpointSource?: CheckpointSource;
  /** Told of every failed flush attempt (hosts log it once, with its code and cause). */
  readonly onFlushError?: (table: string, error: LakeSyncError) => void;
}

/** The automatic flush settings of `options`, with their defaults (4 MiB, 30 s, on push). */
export function autoFlushOf(options: SyncGatewayOptions): {
  thresholds: FlushThresholds | undefined;
  flushOnPush: boolean;
} {
  const auto = options.autoFlush;
  if (auto === false) return { thresholds: undefined, flushOnPush: false };
  return {
    thresholds: { maxBytes: auto?.maxBytes ?? 4 * 1024 * 1024, maxAgeMs: auto?.maxAgeMs ?? 30_000 },
    flushOnPush: auto?.onPush ?? true,
  };
}

/** The pull page sizes of `options`: the page for `maxDeltas = 0`, and the largest page. */
export function pullPagesOf(options: SyncGatewayOptions): { fallback: number; max: number } {
  const max = options.maxPullDeltas ?? 10_000;
  return { max, fallback: Math.min(options.defaultPullDeltas ?? 1_000, max) };
}
