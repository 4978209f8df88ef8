/**
 * @module store/sql/sql-change-log
 * The change log in the SQL store: one row per group commit (`lakesync_batches`), read back in
 * pages, with the newest entries kept in memory for realtime pulls.
 */
import { HLC_ZERO, type HLCTimestamp } from "@lakesync/core";
import type { Log, LogPage } from "../../log/log.js";
import type { LogEntry } from "../../log/log-entry.js";
import { decodeLogBatch } from "../batch-codec.js";
import { hlcBytes, hlcOf } from "./hlc-bytes.js";
import type { SqlDriver } from "./sql-driver.js";
import { putState } from "./sql-schema.js";

/** Batches read per statement. */
const BATCHES_PER_READ = 4;
/** The newest entries kept in memory. */
const TAIL = 4_096;

/** Where a log resumes on open. */
export interface SqlLogPosition {
  readonly length: number;
  readonly horizon: HLCTimestamp;
  readonly head: HLCTimestamp;
}

function bytesOf(value: unknown): Uint8Array | undefined {
  return value instanceof Uint8Array ? value : undefined;
}

/**
 * Entries in `seq` order, stored by the gateway store (`append` here only records what was
 * stored). Trimming deletes whole batches, so the horizon always falls on a batch boundary and
 * a few flushed entries may outlive their retention. Reads throw on a storage failure or a
 * corrupt batch; the gateway's read paths report it.
 */
export class SqlChangeLog implements Log {
  readonly #sql: SqlDriver;
  #length: number;
  #horizon: HLCTimestamp;
  #head: HLCTimestamp;
  #tail: LogEntry[] = [];

  constructor(sql: SqlDriver, position: SqlLogPosition) {
    this.#sql = sql;
    this.#length = position.length;
    this.#horizon = position.horizon;
    this.#head = position.head;
  }

  get length(): number {
    return this.#length;
  }

  get horizon(): HLCTimestamp {
    return this.#horizon;
  }

  get head(): HLCTimestamp {
    return this.#head > this.#horizon ? this.#head : this.#horizon;
  }

  append(entries: readonly LogEntry[]): void {
    const last = entries[entries.length - 1];
    if (!last) return;
    this.#length += entries.length;
    this.#head = last.seq;
    for (const entry of entries) this.#tail.push(entry);
    if (this.#tail.length > 2 * TAIL) this.#tail = this.#tail.slice(-TAIL);
  }

  *after(after: HLCTimestamp): IterableIterator<LogEntry> {
    const oldest = this.#tail[0];
    if (oldest && after >= oldest.seq) {
      for (const entry of this.#tail) if (entry.seq > after) yield entry;
      return;
    }
    // The first batch holding a seq after `after` (seqs grow with ids), then batches by id: a
    // range of the primary key, never a sort of every later batch.
    const first = this.#sql.exec(
      "SELECT id FROM lakesync_batches WHERE last_seq > ? ORDER BY last_seq LIMIT 1",
      hlcBytes(after),
    )[0];
    if (!first) return;
    let lastId = Number(first.id) - 1;
    for (;;) {
      const rows = this.#sql.exec(
        "SELECT id, seqs, deltas, views FROM lakesync_batches WHERE id > ? ORDER BY id LIMIT ?",
        lastId,
        BATCHES_PER_READ,
      );
      for (const row of rows) {
        lastId = Number(row.id);
        const batch = decodeLogBatch(
          bytesOf(row.seqs) ?? new Uint8Array(),
          bytesOf(row.deltas) ?? new Uint8Array(),
          bytesOf(row.views),
        );
        if (!batch.ok) throw batch.error;
        for (const entry of batch.value) if (entry.seq > after) yield entry;
      }
      if (rows.length < BATCHES_PER_READ) return;
    }
  }

  read(
    since: HLCTimestamp,
    max: number,
    accept: (entry: LogEntry) => boolean,
    scanLimit = Math.max(max * 20, 10_000),
  ): LogPage {
    const out: LogEntry[] = [];
    let cursor = since > this.#horizon ? since : this.#horizon;
    let scanned = 0;
    let hasMore = false;
    for (const entry of this.after(cursor)) {
      if (out.length >= max || scanned >= scanLimit) {
        hasMore = true;
        break;
      }
      scanned++;
      cursor = entry.seq;
      if (accept(entry)) out.push(entry);
    }
    if (!hasMore && this.#length > 0 && this.#head > cursor) cursor = this.#head;
    return { entries: out, cursor, hasMore };
  }

  trimTo(keep: number, flushedThrough: HLCTimestamp): number {
    const excess = this.#length - keep;
    if (excess <= 0) return 0;
    // The oldest batches whose entries all fit in the excess and are all flushed.
    let dropped = 0;
    let lastId: number | undefined;
    let last: HLCTimestamp | undefined;
    let after = -1;
    scan: for (;;) {
      const rows = this.#sql.exec(
        "SELECT id, last_seq, n FROM lakesync_batches WHERE id > ? ORDER BY id LIMIT 1000",
        after,
      );
      for (const row of rows) {
        const n = Number(row.n);
        const seq = hlcOf(row.last_seq);
        if (seq === undefined || seq > flushedThrough || dropped + n > excess) break scan;
        dropped += n;
        lastId = Number(row.id);
        last = seq;
      }
      if (rows.length < 1000) break;
      after = lastId ?? after;
    }
    if (lastId === undefined || last === undefined) return 0;
    const through = last;
    const id = lastId;
    this.#sql.transaction(() => {
      this.#sql.exec("DELETE FROM lakesync_batches WHERE id <= ?", id);
      putState(this.#sql, "horizon", through.toString());
    });
    this.#length -= dropped;
    this.#horizon = through;
    this.#tail = this.#tail.filter((e) => e.seq > through);
    return dropped;
  }
}

/** A log position for an empty store. */
export const EMPTY_LOG_POSITION: SqlLogPosition = { length: 0, horizon: HLC_ZERO, head: HLC_ZERO };
