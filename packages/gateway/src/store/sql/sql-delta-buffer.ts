/**
 * @module store/sql/sql-delta-buffer
 * The unflushed entries of a SQL store: counted per table in memory, read back from the log
 * when a flush asks for them, so memory does not grow with a backlog.
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { FlushBuffer, FlushThresholds } from "../../buffer/flush-buffer.js";
import { estimateDeltaBytes, type LogEntry } from "../../log/log-entry.js";
import type { SqlChangeLog } from "./sql-change-log.js";

interface TableBacklog {
  count: number;
  bytes: number;
  /** The seq of its oldest unflushed entry, or a lower bound of it. */
  first: HLCTimestamp;
}

/**
 * Per table: how many entries wait, their estimated bytes and where the oldest is. `drain`
 * reads the log from the oldest waiting entry, skipping tables already flushed past a seq in
 * this process; `commit` settles what the last drain handed out.
 */
export class SqlDeltaBuffer implements FlushBuffer {
  readonly #log: SqlChangeLog;
  readonly #tables = new Map<string, TableBacklog>();
  /** Per table, entries at or below this seq are flushed (since the store was opened). */
  readonly #flushed = new Map<string, HLCTimestamp>();
  #length = 0;
  #bytes = 0;
  #oldestAt: number | undefined;
  #drained: readonly LogEntry[] = [];
  #scannedThrough: HLCTimestamp | undefined;

  /** A buffer over `log` holding every entry after `flushedThrough`, counted as of `now`. */
  constructor(log: SqlChangeLog, flushedThrough: HLCTimestamp, now: number) {
    this.#log = log;
    const waiting: LogEntry[] = [];
    for (const entry of log.after(flushedThrough)) {
      waiting.push(entry);
      if (waiting.length >= 10_000) this.append(waiting.splice(0), now);
    }
    this.append(waiting, now);
  }

  get length(): number {
    return this.#length;
  }

  get byteSize(): number {
    return this.#bytes;
  }

  get oldestAt(): number | undefined {
    return this.#oldestAt;
  }

  get oldestSeq(): HLCTimestamp | undefined {
    let oldest: HLCTimestamp | undefined;
    for (const { count, first } of this.#tables.values())
      if (count > 0 && (oldest === undefined || first < oldest)) oldest = first;
    return oldest;
  }

  append(entries: readonly LogEntry[], now: number): void {
    if (entries.length === 0) return;
    for (const entry of entries) {
      const bytes = estimateDeltaBytes(entry.delta);
      const backlog = this.#tables.get(entry.delta.table);
      if (backlog && backlog.count > 0) {
        backlog.count++;
        backlog.bytes += bytes;
      } else this.#tables.set(entry.delta.table, { count: 1, bytes, first: entry.seq });
      this.#length++;
      this.#bytes += bytes;
    }
    this.#oldestAt ??= now;
  }

  shouldFlush(thresholds: FlushThresholds, now: number): boolean {
    if (this.#length === 0) return false;
    if (this.#bytes >= thresholds.maxBytes) return true;
    return this.#oldestAt !== undefined && now - this.#oldestAt >= thresholds.maxAgeMs;
  }

  tables(): ReadonlySet<string> {
    const out = new Set<string>();
    for (const [table, { count }] of this.#tables) if (count > 0) out.add(table);
    return out;
  }

  drain(maxBytes: number, eligible?: (table: string) => boolean): readonly LogEntry[] {
    const from = this.oldestSeq;
    const out: LogEntry[] = [];
    this.#scannedThrough = undefined;
    if (from === undefined) {
      this.#drained = out;
      return out;
    }
    let bytes = 0;
    for (const entry of this.#log.after((from - 1n) as HLCTimestamp)) {
      if (out.length > 0 && bytes >= maxBytes) break;
      this.#scannedThrough = entry.seq;
      const table = entry.delta.table;
      const backlog = this.#tables.get(table);
      if (!backlog || backlog.count === 0 || entry.seq < backlog.first) continue;
      const flushed = this.#flushed.get(table);
      if (flushed !== undefined && entry.seq <= flushed) continue;
      if (eligible && !eligible(table)) continue;
      out.push(entry);
      bytes += estimateDeltaBytes(entry.delta);
    }
    this.#drained = out;
    return out;
  }

  commit(through: HLCTimestamp, now: number, tables?: ReadonlySet<string>): void {
    const touched = new Set<string>();
    let removed = 0;
    for (const entry of this.#drained) {
      const table = entry.delta.table;
      if (entry.seq > through || (tables && !tables.has(table))) continue;
      const backlog = this.#tables.get(table);
      if (!backlog || backlog.count === 0) continue;
      const bytes = estimateDeltaBytes(entry.delta);
      backlog.count--;
      backlog.bytes -= bytes;
      this.#length--;
      this.#bytes -= bytes;
      removed++;
      touched.add(table);
      const flushed = this.#flushed.get(table);
      if (flushed === undefined || entry.seq > flushed) this.#flushed.set(table, entry.seq);
    }
    for (const table of touched) {
      const backlog = this.#tables.get(table);
      if (!backlog) continue;
      if (backlog.count <= 0) {
        this.#tables.delete(table);
        continue;
      }
      // The next entry of the table after the drained ones, or past what was scanned.
      const next = this.#drained.find((e) => e.delta.table === table && e.seq > through);
      const bound = this.#scannedThrough ?? through;
      backlog.first = next ? next.seq : ((bound + 1n) as HLCTimestamp);
    }
    if (this.#length <= 0) {
      this.#length = 0;
      this.#bytes = 0;
      this.#oldestAt = undefined;
    } else if (removed > 0) this.#oldestAt = now;
    this.#drained = [];
  }
}
