/**
 * @module store/gateway-store
 * Where a gateway makes accepted deltas durable before acknowledging them.
 */
import type { HLCTimestamp, LakeSyncError, Result, RowDelta } from "@lakesync/core";
import type { FlushBuffer } from "../buffer/flush-buffer.js";
import type { Log } from "../log/log.js";
import type { LogEntry } from "../log/log-entry.js";
import type { RowChange } from "../push/row-overlay.js";
import type { RowStates } from "../state/row-states.js";

/**
 * The parts of a store that serves its rows and log itself (a database behind a bounded cache),
 * so that a gateway's memory does not grow with its data.
 */
export interface IndexedParts {
  readonly rows: RowStates;
  readonly log: Log;
  readonly buffer: FlushBuffer;
}

/** What a store holds when a gateway starts. */
export interface StoredGatewayState {
  /**
   * Every durable entry, in `seq` order, for the gateway to replay into memory; empty for a
   * store that returns {@link StoredGatewayState.indexed}.
   */
  readonly entries: readonly LogEntry[];
  /** The rows, log and unflushed entries, served by the store itself. */
  readonly indexed?: IndexedParts;
  /** The newest seq ever stored (the clock resumes after it). */
  readonly head?: HLCTimestamp;
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
 * Durable storage for one gateway. `append` resolves only once the entries (and the row states
 * they changed) would survive a crash (an fsync, a storage transaction); the gateway
 * acknowledges a push after that. Every method returns a `Result` and never throws.
 *
 * Implementations: {@link MemoryGatewayStore} (tests; replayed on open), and `SqlGatewayStore`
 * over a host's SQLite (Node's `node:sqlite`, the Durable Object's storage), which serves rows
 * and log itself ({@link IndexedParts}).
 */
export interface GatewayStore {
  load(): Promise<Result<StoredGatewayState, LakeSyncError>>;
  /**
   * Makes a group of entries durable, with the row states they leave (a store that replays its
   * log may ignore `changes`).
   */
  append(
    entries: readonly LogEntry[],
    changes: readonly RowChange[],
  ): Promise<Result<void, LakeSyncError>>;
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
