/**
 * @module flush/flusher
 * Flushing the buffer: when (thresholds, back-off), in what order (select, write, commit, mark
 * flushed), and with every table on its own.
 */
import {
  Err,
  FlushError,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import type { FlushBuffer, FlushThresholds } from "../buffer/flush-buffer.js";
import type { LogEntry } from "../log/log-entry.js";
import type { GatewayStore } from "../store/gateway-store.js";
import type { FlushBatch, FlushTarget } from "./flush-target.js";

/** What a successful flush wrote. */
export interface FlushReport {
  readonly deltaCount: number;
  /** The highest sequence number flushed. */
  readonly through: HLCTimestamp;
  /** Object keys written (lake targets). */
  readonly paths: readonly string[];
  /** Tables written (database targets). */
  readonly tables: readonly string[];
  readonly bytes: number;
}

/** What the flusher works with. */
export interface FlusherParts {
  readonly gatewayId: string;
  readonly target: FlushTarget | undefined;
  readonly buffer: FlushBuffer;
  readonly store: GatewayStore;
  readonly now: () => number;
  readonly thresholds: FlushThresholds | undefined;
  readonly retry: { readonly baseMs: number; readonly maxMs: number };
  readonly flushedThrough: HLCTimestamp;
  readonly schemaOf: (table: string) => TableSchema | undefined;
  readonly rowState: (table: string, rowId: string) => RowState | undefined;
  /** Called after the watermark moved (the log may be trimmed up to it). */
  readonly flushed: (through: HLCTimestamp) => Promise<void>;
  /** Told of every failed attempt, once per failure (hosts log it). */
  readonly failed?: (table: string, error: LakeSyncError) => void;
}

interface TableFailure {
  readonly count: number;
  readonly retryAt: number;
  readonly error: LakeSyncError;
}

/**
 * Runs flushes one at a time. A flush selects the buffered entries, cuts them into one batch per
 * table, and for each: `target.write`, then the commit step it returned, if any; a table whose
 * steps all succeeded leaves the buffer, then the durable watermark moves up to the highest seq
 * below every entry still buffered. A table that fails keeps its entries and backs off
 * exponentially (per table) before automatic flushes try it again; the other tables go on.
 */
export class Flusher {
  readonly #parts: FlusherParts;
  readonly #failures = new Map<string, TableFailure>();
  #tail: Promise<unknown> = Promise.resolve();
  #flushedThrough: HLCTimestamp;

  constructor(parts: FlusherParts) {
    this.#parts = parts;
    this.#flushedThrough = parts.flushedThrough;
  }

  /** Entries up to this seq are flushed (and durable as such). */
  get flushedThrough(): HLCTimestamp {
    return this.#flushedThrough;
  }

  /** The message of the most recent failure still pending, if any. */
  get lastError(): string | undefined {
    let latest: TableFailure | undefined;
    let table = "";
    for (const [name, failure] of this.#failures)
      if (!latest || failure.retryAt >= latest.retryAt) [latest, table] = [failure, name];
    return latest ? `table "${table}": ${latest.error.message}` : undefined;
  }

  /**
   * Flushes every buffered table now, back-off or not, batch after batch until the buffer is
   * empty or a table fails. An empty buffer is `Ok(null)`.
   */
  flush(): Promise<Result<FlushReport | null, LakeSyncError>> {
    return this.#serial(async () => {
      let report: FlushReport | null = null;
      for (;;) {
        const before = this.#parts.buffer.length;
        const done = await this.#flush(() => true);
        if (!done.ok) return done;
        if (done.value === null) return Ok(report);
        report = report ? combine(report, done.value) : done.value;
        const left = this.#parts.buffer.length;
        if (left === 0 || left >= before) return Ok(report);
      }
    });
  }

  /** Flushes the tables not backing off, if a threshold is passed. Hosts call it often. */
  tick(): Promise<Result<FlushReport | null, LakeSyncError>> {
    const now = this.#parts.now();
    const { thresholds, target, buffer } = this.#parts;
    if (!thresholds || !target || !buffer.shouldFlush(thresholds, now))
      return Promise.resolve(Ok(null));
    return this.#serial(() =>
      this.#flush((table) => (this.#failures.get(table)?.retryAt ?? 0) <= this.#parts.now()),
    );
  }

  /** When the next automatic flush is due (ms), or `undefined` with nothing to do. */
  nextFlushAt(): number | undefined {
    const { thresholds, target, buffer } = this.#parts;
    if (!thresholds || !target || buffer.length === 0) return undefined;
    const now = this.#parts.now();
    const byAge = (buffer.oldestAt ?? now) + thresholds.maxAgeMs;
    const due = buffer.shouldFlush(thresholds, now) ? now : byAge;
    let retryAt = Number.POSITIVE_INFINITY;
    for (const table of buffer.tables())
      retryAt = Math.min(retryAt, this.#failures.get(table)?.retryAt ?? 0);
    return Math.max(due, retryAt === Number.POSITIVE_INFINITY ? 0 : retryAt);
  }

  /** Waits for the flush in progress, if any. */
  async idle(): Promise<void> {
    await this.#serial(async () => undefined);
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(task, task);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  async #flush(
    eligible: (table: string) => boolean,
  ): Promise<Result<FlushReport | null, LakeSyncError>> {
    const { target, buffer, store } = this.#parts;
    if (!target) return Err(new FlushError("this gateway has no flush target configured"));
    const entries = buffer.drain(this.#batchBytes(), eligible);
    if (entries.length === 0) return Ok(null);
    const at = new Date(this.#parts.now());
    const byTable = new Map<string, LogEntry[]>();
    for (const entry of entries) {
      const list = byTable.get(entry.delta.table);
      if (list) list.push(entry);
      else byTable.set(entry.delta.table, [entry]);
    }
    const done = new Set<string>();
    const failures: string[] = [];
    const paths: string[] = [];
    const tables: string[] = [];
    let bytes = 0;
    let deltaCount = 0;
    let through: HLCTimestamp | undefined;
    for (const [table, group] of byTable) {
      if (!eligible(table)) continue;
      const batch = this.#batch(table, group, at);
      const written = await target.write(batch);
      const committed = written.ok
        ? written.value.commit
          ? await written.value.commit()
          : Ok(undefined)
        : written;
      if (!committed.ok || !written.ok) {
        const error = committed.ok ? (written.ok ? undefined : written.error) : committed.error;
        if (error) this.#fail(table, error);
        failures.push(`table "${table}": ${error?.message ?? "failed"}`);
        continue;
      }
      this.#failures.delete(table);
      done.add(table);
      paths.push(...written.value.paths);
      tables.push(...written.value.tables);
      bytes += written.value.bytes;
      deltaCount += group.length;
      const last = group[group.length - 1];
      if (last && (through === undefined || last.seq > through)) through = last.seq;
    }
    if (done.size > 0 && through !== undefined) {
      buffer.commit(through, this.#parts.now(), done);
      const watermark = this.#watermark(entries, done);
      if (watermark !== undefined && watermark > this.#flushedThrough) {
        const marked = await store.markFlushed(watermark);
        if (!marked.ok) {
          failures.push(`the flush watermark could not be stored: ${marked.error.message}`);
        } else {
          this.#flushedThrough = watermark;
          await this.#parts.flushed(watermark);
        }
      }
    }
    if (failures.length > 0)
      return Err(
        new FlushError(
          `${failures.join("; ")}${done.size > 0 ? ` (${done.size} other table(s) flushed)` : ""}`,
        ),
      );
    if (through === undefined) return Ok(null);
    return Ok({ deltaCount, through, paths, tables, bytes });
  }

  #batch(table: string, entries: readonly LogEntry[], at: Date): FlushBatch {
    const first = entries[0] as LogEntry;
    const last = entries[entries.length - 1] as LogEntry;
    const { rowState } = this.#parts;
    return {
      gatewayId: this.#parts.gatewayId,
      table,
      schema: this.#parts.schemaOf(table),
      entries,
      range: { min: first.seq, max: last.seq },
      at,
      rowStates: async (rowIds) => {
        const out = new Map<string, RowState>();
        for (const rowId of rowIds) {
          const state = rowState(table, rowId);
          if (state) out.set(rowId, state);
        }
        return Ok(out);
      },
    };
  }

  /**
   * The highest seq such that every entry at or below it is flushed: the highest flushed seq
   * below the oldest entry still buffered (all of them when nothing is left).
   */
  #watermark(entries: readonly LogEntry[], done: ReadonlySet<string>): HLCTimestamp | undefined {
    const oldest = this.#parts.buffer.oldestSeq;
    let mark: HLCTimestamp | undefined;
    for (const entry of entries) {
      if (oldest !== undefined && entry.seq >= oldest) break;
      if (done.has(entry.delta.table)) mark = entry.seq;
    }
    return mark;
  }

  /** How much one flush reads from the buffer: twice the byte threshold, at least 1 MiB. */
  #batchBytes(): number {
    return Math.max(2 * (this.#parts.thresholds?.maxBytes ?? 4 * 1024 * 1024), 1024 * 1024);
  }

  #fail(table: string, error: LakeSyncError): void {
    const { retry, now } = this.#parts;
    const count = (this.#failures.get(table)?.count ?? 0) + 1;
    const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(count - 1, 20));
    this.#failures.set(table, { count, retryAt: now() + delay, error });
    this.#parts.failed?.(table, error);
  }
}

/** Two consecutive flush reports as one. */
function combine(a: FlushReport, b: FlushReport): FlushReport {
  return {
    deltaCount: a.deltaCount + b.deltaCount,
    through: b.through > a.through ? b.through : a.through,
    paths: [...a.paths, ...b.paths],
    tables: [...new Set([...a.tables, ...b.tables])],
    bytes: a.bytes + b.bytes,
  };
}
