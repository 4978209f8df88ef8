/**
 * @module buffer/delta-buffer
 * The deltas accepted but not yet flushed to the lake or database.
 */
import type { HLCTimestamp } from "@lakesync/core";
import { estimateDeltaBytes, type LogEntry } from "../log/log-entry.js";
import type { FlushBuffer, FlushThresholds } from "./flush-buffer.js";

export type { FlushThresholds } from "./flush-buffer.js";

/**
 * Unflushed log entries held in memory, with a running byte estimate and the arrival time of
 * the oldest one (see {@link FlushBuffer} for the contract).
 */
export class DeltaBuffer implements FlushBuffer {
  #entries: LogEntry[] = [];
  #bytes = 0;
  #oldestAt: number | undefined;

  /** Number of buffered deltas. */
  get length(): number {
    return this.#entries.length;
  }

  /** Estimated bytes of the buffered deltas. */
  get byteSize(): number {
    return this.#bytes;
  }

  /** Arrival time (ms) of the oldest buffered delta, if any. */
  get oldestAt(): number | undefined {
    return this.#oldestAt;
  }

  /** Adds accepted entries; `now` is the arrival time in ms. */
  append(entries: readonly LogEntry[], now: number): void {
    if (entries.length === 0) return;
    for (const entry of entries) {
      this.#entries.push(entry);
      this.#bytes += estimateDeltaBytes(entry.delta);
    }
    this.#oldestAt ??= now;
  }

  /** True when the buffer holds deltas past either threshold. */
  shouldFlush(thresholds: FlushThresholds, now: number): boolean {
    if (this.#entries.length === 0) return false;
    if (this.#bytes >= thresholds.maxBytes) return true;
    return this.#oldestAt !== undefined && now - this.#oldestAt >= thresholds.maxAgeMs;
  }

  tables(): ReadonlySet<string> {
    const out = new Set<string>();
    for (const entry of this.#entries) out.add(entry.delta.table);
    return out;
  }

  drain(maxBytes: number, eligible?: (table: string) => boolean): readonly LogEntry[] {
    const out: LogEntry[] = [];
    let bytes = 0;
    for (const entry of this.#entries) {
      if (out.length > 0 && bytes >= maxBytes) break;
      if (eligible && !eligible(entry.delta.table)) continue;
      out.push(entry);
      bytes += estimateDeltaBytes(entry.delta);
    }
    return out;
  }

  /** The `seq` of the oldest buffered entry, if any. */
  get oldestSeq(): HLCTimestamp | undefined {
    return this.#entries[0]?.seq;
  }

  /**
   * Removes the entries with `seq <= through` once they are safely flushed: of every table, or
   * only of `tables`.
   */
  commit(through: HLCTimestamp, now: number, tables?: ReadonlySet<string>): void {
    const kept: LogEntry[] = [];
    let removed = 0;
    for (const entry of this.#entries) {
      if (entry.seq <= through && (!tables || tables.has(entry.delta.table))) {
        this.#bytes -= estimateDeltaBytes(entry.delta);
        removed++;
      } else kept.push(entry);
    }
    this.#entries = kept;
    if (this.#entries.length === 0) {
      this.#bytes = 0;
      this.#oldestAt = undefined;
    } else if (removed > 0) {
      this.#oldestAt = now;
    }
  }
}
