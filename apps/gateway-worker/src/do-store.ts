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
  toHLC,
} from "@lakesync/core";
import type { GatewayStore, LogEntry, StoredGatewayState } from "@lakesync/gateway";
import { decodeSyncPush, encodeSyncPush } from "@lakesync/proto";

/** The part of `DurableObjectStorage` the store uses. */
export interface SqlStorageLike {
  exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] };
}

const FLUSHED = "flushed-through";

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
      const flushedText = meta.get(FLUSHED);
      meta.delete(FLUSHED);
      const flushed =
        flushedText && /^\d{1,20}$/.test(flushedText) ? toHLC(BigInt(flushedText)) : Ok(HLC_ZERO);
      return Ok({ entries, flushedThrough: flushed.ok ? flushed.value : HLC_ZERO, meta });
    } catch (cause) {
      return Err(failure("cannot read Durable Object storage", cause));
    }
  }

  async append(entries: readonly LogEntry[]): Promise<Result<void, LakeSyncError>> {
    if (entries.length === 0) return Ok(undefined);
    const deltas = encodeSyncPush({
      clientId: "store",
      deltas: entries.map((e) => e.delta),
      lastSeenHlc: HLC_ZERO,
    });
    if (!deltas.ok) return deltas;
    const seqs = new Uint8Array(entries.length * 8);
    const view = new DataView(seqs.buffer);
    for (const [i, entry] of entries.entries()) view.setBigUint64(i * 8, entry.seq, false);
    try {
      this.#sql.exec(
        "INSERT INTO lakesync_batches (seqs, deltas) VALUES (?, ?)",
        seqs.buffer,
        deltas.value.slice().buffer,
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

  async close(): Promise<void> {}
}
