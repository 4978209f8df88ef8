/**
 * @module buffer/flush-buffer
 * The contract of the deltas accepted but not yet flushed, whichever way they are held: in
 * memory (`DeltaBuffer`) or read back from the durable log (`SqlDeltaBuffer`).
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { LogEntry } from "../log/log-entry.js";

/** When the buffer should be flushed. */
export interface FlushThresholds {
  /** Flush once the buffered deltas are estimated at this many bytes. */
  readonly maxBytes: number;
  /** Flush once the oldest buffered delta has waited this long (ms). */
  readonly maxAgeMs: number;
}

/**
 * Unflushed log entries in `seq` order. {@link FlushBuffer.drain} hands out a batch without
 * removing it; only {@link FlushBuffer.commit}, after the flush succeeded, removes it — so a
 * failed flush loses nothing and the next attempt retries the same deltas (plus any that arrived
 * since). Tables are committed separately, so one table's failed flush does not hold back
 * another's.
 */
export interface FlushBuffer {
  /** Number of buffered deltas. */
  readonly length: number;
  /** Estimated bytes of the buffered deltas. */
  readonly byteSize: number;
  /** Arrival time (ms) of the oldest buffered delta, if any. */
  readonly oldestAt: number | undefined;
  /** The `seq` of the oldest buffered entry (or a lower bound of it), if any. */
  readonly oldestSeq: HLCTimestamp | undefined;
  /** Adds accepted entries; `now` is the arrival time in ms. */
  append(entries: readonly LogEntry[], now: number): void;
  /** True when the buffer holds deltas past either threshold. */
  shouldFlush(thresholds: FlushThresholds, now: number): boolean;
  /** The tables with buffered deltas. */
  tables(): ReadonlySet<string>;
  /**
   * The oldest buffered entries of the `eligible` tables (all when omitted), in seq order, for
   * a flush: about `maxBytes` of them (at least one); they stay buffered until committed.
   */
  drain(maxBytes: number, eligible?: (table: string) => boolean): readonly LogEntry[];
  /**
   * Removes the entries with `seq <= through` of `tables` (of every table when omitted) once
   * they are safely flushed.
   */
  commit(through: HLCTimestamp, now: number, tables?: ReadonlySet<string>): void;
}
