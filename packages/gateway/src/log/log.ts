/**
 * @module log/log
 * The contract of the gateway's change log, whichever way it is held: in memory (`ChangeLog`)
 * or in the durable store (`SqlChangeLog`).
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { LogEntry } from "./log-entry.js";

/** One page of the change log. */
export interface LogPage {
  readonly entries: readonly LogEntry[];
  /** Pull from here next: the last entry scanned, or the request's cursor if nothing was. */
  readonly cursor: HLCTimestamp;
  readonly hasMore: boolean;
}

/**
 * Accepted deltas in `seq` order. The oldest can be trimmed, after which a pull from before the
 * {@link Log.horizon} cannot be served incrementally (the client starts again from a
 * checkpoint). Reads are synchronous.
 */
export interface Log {
  /** Entries currently held. */
  readonly length: number;
  /** Everything at or before this seq has been trimmed away. */
  readonly horizon: HLCTimestamp;
  /** The newest entry's seq, or the horizon when the log is empty. */
  readonly head: HLCTimestamp;
  /** Records entries (already durable) whose seqs are above {@link Log.head}, in order. */
  append(entries: readonly LogEntry[]): void;
  /** The entries with `seq > after`, oldest first. */
  after(after: HLCTimestamp): IterableIterator<LogEntry>;
  /**
   * Up to `max` entries with `seq > since` that `accept` lets through, scanning at most
   * `scanLimit` entries (so one pull cannot monopolise the gateway; the cursor then says where to
   * continue).
   */
  read(
    since: HLCTimestamp,
    max: number,
    accept: (entry: LogEntry) => boolean,
    scanLimit?: number,
  ): LogPage;
  /**
   * Drops the oldest entries beyond the newest `keep`, but none above `flushedThrough` (a
   * durable log drops whole batches, so it may keep a few more); the horizon rises to the last
   * entry dropped. Returns how many were dropped.
   */
  trimTo(keep: number, flushedThrough: HLCTimestamp): number;
}
