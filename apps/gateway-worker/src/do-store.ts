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
import {
  chunked,
  decodeDeltaChunk,
  decodeLogBatch,
  encodeDeltaChunk,
  encodeLogBatch,
  type GatewayStore,
  type LogEntry,
  type LogRewrite,
  type StoredGatewayState,
} from "@lakesync/gateway";

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
        "CREATE TABLE IF NOT EXISTS lakesync_batches (id INTEGER PRIMARY KEY AUTOINCREMENT, seqs BLOB NOT NULL, deltas BLOB NOT NULL, views BLOB)",
      );
      const columns = this.#sql.exec("PRAGMA table_info(lakesync_batches)").toArray();
      // Storage created before row views existed gains the column.
      if (!columns.some((c) => c.name === "views"))
        this.#sql.exec("ALTER TABLE lakesync_batches ADD COLUMN views BLOB");
      this.#sql.exec(
        "CREATE TABLE IF NOT EXISTS lakesync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      );
      this.#sql.exec(
        "CREATE TABLE IF NOT EXISTS lakesync_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, deltas BLOB NOT NULL)",
      );
      const rows: RowDelta[] = [];
      for (const row of this.#sql.exec("SELECT deltas FROM lakesync_rows ORDER BY id").toArray()) {
        const chunk = decodeDeltaChunk(new Uint8Array(row.deltas as ArrayBuffer));
        if (!chunk.ok) return Err(failure("a stored row snapshot is corrupt", chunk.error));
        for (const delta of chunk.value) rows.push(delta);
      }
      const entries: LogEntry[] = [];
      for (const row of this.#sql
        .exec("SELECT seqs, deltas, views FROM lakesync_batches ORDER BY id")
        .toArray()) {
        const batch = decodeLogBatch(
          new Uint8Array(row.seqs as ArrayBuffer),
          new Uint8Array(row.deltas as ArrayBuffer),
          row.views ? new Uint8Array(row.views as ArrayBuffer) : undefined,
        );
        if (!batch.ok) return Err(failure("a stored batch is corrupt", batch.error));
        for (const entry of batch.value) entries.push(entry);
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
    const batch = encodeLogBatch(entries);
    if (!batch.ok) return batch;
    try {
      this.#sql.exec(
        "INSERT INTO lakesync_batches (seqs, deltas, views) VALUES (?, ?, ?)",
        toBuffer(batch.value.seqs),
        toBuffer(batch.value.deltas),
        batch.value.views ? toBuffer(batch.value.views) : null,
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
   * Replaces the stored batches by the rewritten log. Every statement runs synchronously, without an
   * await in between, so the Durable Object commits them as one atomic write.
   */
  async rewrite(snapshot: LogRewrite): Promise<Result<void, LakeSyncError>> {
    const rowChunks: ArrayBuffer[] = [];
    for (const rows of chunked(snapshot.rows)) {
      const encoded = encodeDeltaChunk(rows);
      if (!encoded.ok) return encoded;
      rowChunks.push(toBuffer(encoded.value));
    }
    const batches: { seqs: ArrayBuffer; deltas: ArrayBuffer; views: ArrayBuffer | null }[] = [];
    for (const entries of chunked(snapshot.entries)) {
      const batch = encodeLogBatch(entries);
      if (!batch.ok) return batch;
      const { seqs, deltas, views } = batch.value;
      batches.push({
        seqs: toBuffer(seqs),
        deltas: toBuffer(deltas),
        views: views ? toBuffer(views) : null,
      });
    }
    try {
      this.#sql.exec("DELETE FROM lakesync_batches");
      this.#sql.exec("DELETE FROM lakesync_rows");
      this.#sql.exec("DELETE FROM lakesync_meta");
      for (const chunk of rowChunks)
        this.#sql.exec("INSERT INTO lakesync_rows (deltas) VALUES (?)", chunk);
      for (const b of batches)
        this.#sql.exec(
          "INSERT INTO lakesync_batches (seqs, deltas, views) VALUES (?, ?, ?)",
          b.seqs,
          b.deltas,
          b.views,
        );
      const put = "INSERT INTO lakesync_meta (key, value) VALUES (?, ?)";
      for (const [key, value] of snapshot.meta) this.#sql.exec(put, key, value);
      this.#sql.exec(put, FLUSHED, snapshot.flushedThrough.toString());
      this.#sql.exec(put, HORIZON, snapshot.horizon.toString());
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot rewrite Durable Object storage", cause));
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

/** A standalone copy of bytes, as SQLite storage binds BLOBs. */
function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
