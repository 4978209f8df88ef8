/**
 * @module log/change-log
 * The change log held in memory.
 */
import { HLC_ZERO, type HLCTimestamp } from "@lakesync/core";
import type { Log, LogPage } from "./log.js";
import type { LogEntry } from "./log-entry.js";

/**
 * Accepted deltas in `seq` order, in memory (tests, ephemeral gateways, stores that replay their
 * log on open). Reads are by binary search on `seq`.
 */
export class ChangeLog implements Log {
  #entries: LogEntry[] = [];
  #horizon: HLCTimestamp = HLC_ZERO;

  /** Entries currently held. */
  get length(): number {
    return this.#entries.length;
  }

  /** Everything at or before this seq has been trimmed away. */
  get horizon(): HLCTimestamp {
    return this.#horizon;
  }

  /** The newest entry's seq, or the horizon when the log is empty. */
  get head(): HLCTimestamp {
    const last = this.#entries[this.#entries.length - 1];
    return last ? last.seq : this.#horizon;
  }

  /** Appends entries whose seqs are above {@link ChangeLog.head}, in order. */
  append(entries: readonly LogEntry[]): void {
    for (const entry of entries) this.#entries.push(entry);
  }

  /** The entries with `seq > after`, oldest first. */
  *after(after: HLCTimestamp): IterableIterator<LogEntry> {
    for (let i = this.#firstAfter(after); i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (entry) yield entry;
    }
  }

  /**
   * Up to `max` entries with `seq > since` that `accept` lets through. Scanning stops after
   * `scanLimit` entries so one pull cannot monopolise the gateway; the cursor then says where
   * to continue.
   */
  read(
    since: HLCTimestamp,
    max: number,
    accept: (entry: LogEntry) => boolean,
    scanLimit = Math.max(max * 20, 10_000),
  ): LogPage {
    const out: LogEntry[] = [];
    let cursor = since > this.#horizon ? since : this.#horizon;
    let i = this.#firstAfter(since);
    let scanned = 0;
    for (; i < this.#entries.length && out.length < max && scanned < scanLimit; i++, scanned++) {
      const entry = this.#entries[i];
      if (!entry) break;
      cursor = entry.seq;
      if (accept(entry)) out.push(entry);
    }
    if (i >= this.#entries.length && this.#entries.length > 0) cursor = this.head;
    return { entries: out, cursor, hasMore: i < this.#entries.length };
  }

  /** Sets the horizon of a log restored from a compacted store (only upwards). */
  restoreHorizon(horizon: HLCTimestamp): void {
    if (horizon > this.#horizon) this.#horizon = horizon;
  }

  trimTo(keep: number, flushedThrough: HLCTimestamp): number {
    const excess = this.#entries.length - keep;
    if (excess <= 0) return 0;
    let count = 0;
    while (count < excess && (this.#entries[count]?.seq ?? flushedThrough) <= flushedThrough)
      count++;
    const last = this.#entries[count - 1];
    if (last) this.trim(last.seq);
    return count;
  }

  /** Drops every entry with `seq <= through`; the horizon moves up to `through`. */
  trim(through: HLCTimestamp): void {
    const cut = this.#firstAfter(through);
    if (cut === 0) return;
    const last = this.#entries[cut - 1];
    this.#entries = this.#entries.slice(cut);
    if (last && last.seq > this.#horizon) this.#horizon = last.seq;
  }

  #firstAfter(seq: HLCTimestamp): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.#entries[mid];
      if (entry && entry.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
