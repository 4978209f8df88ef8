/**
 * @module do-store
 * A gateway store in Durable Object storage (the SQLite-backed API).
 */
import {
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  toHLC,
} from "@lakesync/core";
import type {
  CompactionSnapshot,
  GatewayStore,
  LogEntry,
  StoredGatewayState,
} from "@lakesync/gateway";
import { decodeSyncPush, encodeSyncPush } from "@lakesync/proto";

/** The part of `DurableObjectStorage` the store uses. */
export interface SqlStorageLike {
  exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] };
}

const FLUSHED = "flushed-through";
const HORIZON = "horizon";

function failure(message: string, cause?: unknown): LakeSyncError {
  return new LakeSyncError("STORE_UNAVAILABLE", message, cause === undefined ? {} : { cause });
}

/**
 * Accepted entries as batches (sequence numbers + one protobuf-encoded push per batch) in the
 * Durable Object's SQLite database, plus a small key-value table for the flush watermark, sync
 * rules and schemas. Writes become durable before the Durable Object's response leaves (its
 * output gate), so a push is acknowledged only once stored; an evicted or restarted object
 * reloads everything from here.
 */
export class DurableObjectGatewayStore implements GatewayStore {
  readonly #sql: SqlStorageLike;

  constructor(sql: SqlStorageLike) {
    this.#sql = sql;
  }

  async load(): Promise<Result<StoredGatewayState, LakeSyncError>> {
    try {
      this.#sql.exec(
        "CREATE TABLE IF NOT EXISTS lakesync_batches (id INTEGER PRIMARY KEY AUTOINCREMENT, seqs BLOB NOT NULL, deltas BLOB NOT NULL)",
      );
      this.#sql.exec(
        "CREATE TABLE IF NOT EXISTS lakesync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      );
      this.#sql.exec(
        "CREATE TABLE IF NOT EXISTS lakesync_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, deltas BLOB NOT NULL)",
      );
      const rows: RowDelta[] = [];
      for (const row of this.#sql.exec("SELECT deltas FROM lakesync_rows ORDER BY id").toArray()) {
        const chunk = decodeSyncPush(new Uint8Array(row.deltas as ArrayBuffer));
        if (!chunk.ok) return Err(failure("a stored row snapshot is corrupt", chunk.error));
        for (const delta of chunk.value.deltas) rows.push(delta);
      }
      const entries: LogEntry[] = [];
      for (const row of this.#sql
        .exec("SELECT seqs, deltas FROM lakesync_batches ORDER BY id")
        .toArray()) {
        const seqs = new Uint8Array(row.seqs as ArrayBuffer);
        const push = decodeSyncPush(new Uint8Array(row.deltas as ArrayBuffer));
        if (!push.ok) return Err(failure("a stored batch is corrupt", push.error));
        const view = new DataView(seqs.buffer, seqs.byteOffset, seqs.byteLength);
        if (seqs.byteLength !== push.value.deltas.length * 8)
          return Err(failure("a stored batch has the wrong number of sequence numbers"));
        push.value.deltas.forEach((delta, i) => {
          entries.push({ seq: view.getBigUint64(i * 8, false) as HLCTimestamp, delta });
        });
      }
      const meta = new Map<string, string>();
      for (const row of this.#sql.exec("SELECT key, value FROM lakesync_meta").toArray())
        meta.set(String(row.key), String(row.value));
      const flushed = readSeq(meta, FLUSHED);
      const horizon = readSeq(meta, HORIZON);
      return Ok({
        entries,
        flushedThrough: flushed ?? HLC_ZERO,
        meta,
        ...(rows.length > 0 ? { rows } : {}),
        ...(horizon === undefined ? {} : { horizon }),
      });
    } catch (cause) {
      return Err(failure("cannot read Durable Object storage", cause));
    }
  }

  async append(entries: readonly LogEntry[]): Promise<Result<void, LakeSyncError>> {
    if (entries.length === 0) return Ok(undefined);
    const batch = encodeBatch(entries);
    if (!batch.ok) return batch;
    try {
      this.#sql.exec(
        "INSERT INTO lakesync_batches (seqs, deltas) VALUES (?, ?)",
        batch.value.seqs,
        batch.value.deltas,
      );
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot write Durable Object storage", cause));
    }
  }

  async markFlushed(through: HLCTimestamp): Promise<Result<void, LakeSyncError>> {
    return this.putMeta(FLUSHED, through.toString());
  }

  async putMeta(key: string, value: string): Promise<Result<void, LakeSyncError>> {
    try {
      this.#sql.exec(
        "INSERT INTO lakesync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value,
      );
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot write Durable Object storage", cause));
    }
  }

  /**
   * Replaces the stored batches by the snapshot. Every statement runs synchronously, without an
   * await in between, so the Durable Object commits them as one atomic write.
   */
  async compact(snapshot: CompactionSnapshot): Promise<Result<void, LakeSyncError>> {
    const rowChunks: ArrayBuffer[] = [];
    for (let i = 0; i < snapshot.rows.length; i += 10_000) {
      const encoded = encodeSyncPush({
        clientId: "store",
        deltas: snapshot.rows.slice(i, i + 10_000),
        lastSeenHlc: HLC_ZERO,
      });
      if (!encoded.ok) return encoded;
      rowChunks.push(encoded.value.slice().buffer);
    }
    const batches: { seqs: ArrayBuffer; deltas: ArrayBuffer }[] = [];
    for (let i = 0; i < snapshot.entries.length; i += 10_000) {
      const batch = encodeBatch(snapshot.entries.slice(i, i + 10_000));
      if (!batch.ok) return batch;
      batches.push(batch.value);
    }
    try {
      this.#sql.exec("DELETE FROM lakesync_batches");
      this.#sql.exec("DELETE FROM lakesync_rows");
      this.#sql.exec("DELETE FROM lakesync_meta");
      for (const chunk of rowChunks)
        this.#sql.exec("INSERT INTO lakesync_rows (deltas) VALUES (?)", chunk);
      for (const b of batches)
        this.#sql.exec(
          "INSERT INTO lakesync_batches (seqs, deltas) VALUES (?, ?)",
          b.seqs,
          b.deltas,
        );
      const put = "INSERT INTO lakesync_meta (key, value) VALUES (?, ?)";
      for (const [key, value] of snapshot.meta) this.#sql.exec(put, key, value);
      this.#sql.exec(put, FLUSHED, snapshot.flushedThrough.toString());
      this.#sql.exec(put, HORIZON, snapshot.horizon.toString());
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot compact Durable Object storage", cause));
    }
  }

  async close(): Promise<void> {}
}

/** A sequence number kept in the meta table (and removed from the map handed to the gateway). */
function readSeq(meta: Map<string, string>, key: string): HLCTimestamp | undefined {
  const text = meta.get(key);
  meta.delete(key);
  if (text === undefined || !/^\d{1,20}$/.test(text)) return undefined;
  const seq = toHLC(BigInt(text));
  return seq.ok ? seq.value : undefined;
}

/** Entries as stored: their sequence numbers, and the deltas as one protobuf push. */
function encodeBatch(
  entries: readonly LogEntry[],
): Result<{ seqs: ArrayBuffer; deltas: ArrayBuffer }, LakeSyncError> {
  const deltas = encodeSyncPush({
    clientId: "store",
    deltas: entries.map((e) => e.delta),
    lastSeenHlc: HLC_ZERO,
  });
  if (!deltas.ok) return deltas;
  const seqs = new Uint8Array(entries.length * 8);
  const view = new DataView(seqs.buffer);
  for (const [i, entry] of entries.entries()) view.setBigUint64(i * 8, entry.seq, false);
  return Ok({ seqs: seqs.buffer, deltas: deltas.value.slice().buffer });
}
