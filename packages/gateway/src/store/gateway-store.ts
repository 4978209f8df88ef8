/**
 * @module store/gateway-store
 * Where a gateway makes accepted deltas durable before acknowledging them.
 */
import type { HLCTimestamp, LakeSyncError, Result, RowDelta } from "@lakesync/core";
import type { LogEntry } from "../log/log-entry.js";

/** What a store holds when a gateway starts. */
export interface StoredGatewayState {
  /** Every durable entry, in `seq` order. */
  readonly entries: readonly LogEntry[];
  /** Entries up to this seq have been flushed. */
  readonly flushedThrough: HLCTimestamp;
  /** Small named documents (sync rules, schemas). */
  readonly meta: ReadonlyMap<string, string>;
  /**
   * After a log rewrite: the merged rows as deltas (folded into the row index, never served by
   * pulls) and the horizon (pulls from an older cursor get `CURSOR_EXPIRED`).
   */
  readonly rows?: readonly RowDelta[];
  readonly horizon?: HLCTimestamp;
}

/** Everything a rewritten log must keep: the merged rows, the retained entries, the meta. */
export interface LogRewrite {
  readonly rows: readonly RowDelta[];
  readonly entries: readonly LogEntry[];
  readonly horizon: HLCTimestamp;
  readonly flushedThrough: HLCTimestamp;
  readonly meta: ReadonlyMap<string, string>;
}

/**
 * Durable storage for one gateway. `append` resolves only once the entries would survive a
 * crash (an fsync, a storage transaction); the gateway acknowledges a push after that. Every
 * method returns a `Result` and never throws.
 *
 * Implementations: {@link MemoryGatewayStore} (tests), `WalGatewayStore` in the Node host (an
 * append-only file), and the Durable Object storage in the Worker.
 */
export interface GatewayStore {
  load(): Promise<Result<StoredGatewayState, LakeSyncError>>;
  append(entries: readonly LogEntry[]): Promise<Result<void, LakeSyncError>>;
  markFlushed(through: HLCTimestamp): Promise<Result<void, LakeSyncError>>;
  putMeta(key: string, value: string): Promise<Result<void, LakeSyncError>>;
  /**
   * Optional: replaces everything stored with `rewrite` (atomically: a crash leaves either the
   * old store or the new one), so the store stops growing with history.
   */
  rewrite?(rewrite: LogRewrite): Promise<Result<void, LakeSyncError>>;
  /** Releases files or handles; the store is unusable afterwards. */
  close(): Promise<void>;
}
