/**
 * @module wal-store
 * A gateway store on an append-only write-ahead log file, for the Node host.
 */
import { type FileHandle, mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
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

/** Entries written before row views existed: count, seqs, deltas. Still read. */
const ENTRIES = 1;
const FLUSHED = 2;
const META = 3;
/** A chunk of merged rows written by a log rewrite (folded into the row index, not the log). */
const ROWS = 4;
/** The horizon written by a log rewrite. */
const HORIZON = 5;
/** Entries with their row views: count, deltas length, seqs, deltas, views. */
const ENTRIES_WITH_VIEWS = 6;
const HEADER = 9; // u32 length, u32 crc32 (of type + payload), u8 type

/** Options for {@link WalGatewayStore}. */
export interface WalStoreOptions {
  /** Directory of the log file (`wal.log`); created if missing. */
  readonly dir: string;
  /** fsync after every append (default true). Turning it off trades durability for speed. */
  readonly sync?: boolean;
}

function storeError(message: string, cause?: unknown): LakeSyncError {
  return new LakeSyncError("STORE_UNAVAILABLE", message, cause === undefined ? {} : { cause });
}

function record(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.byteLength, false);
  out[8] = type;
  out.set(payload, HEADER);
  view.setUint32(4, crc32(out.subarray(8)), false);
  return out;
}

/** An entries record: the count, the length of the deltas, then seqs, deltas and row views. */
function entriesPayload(entries: readonly LogEntry[]): Result<Uint8Array, LakeSyncError> {
  const batch = encodeLogBatch(entries);
  if (!batch.ok) return batch;
  const { seqs, deltas, views } = batch.value;
  const viewBytes = views ?? new Uint8Array();
  const out = new Uint8Array(8 + seqs.byteLength + deltas.byteLength + viewBytes.byteLength);
  const data = new DataView(out.buffer);
  data.setUint32(0, entries.length, false);
  data.setUint32(4, deltas.byteLength, false);
  out.set(seqs, 8);
  out.set(deltas, 8 + seqs.byteLength);
  out.set(viewBytes, 8 + seqs.byteLength + deltas.byteLength);
  return Ok(out);
}

function metaPayload(key: string, value: string): Uint8Array {
  const encoder = new TextEncoder();
  const k = encoder.encode(key);
  const v = encoder.encode(value);
  const payload = new Uint8Array(2 + k.byteLength + v.byteLength);
  new DataView(payload.buffer).setUint16(0, k.byteLength, false);
  payload.set(k, 2);
  payload.set(v, 2 + k.byteLength);
  return payload;
}

function seqPayload(seq: HLCTimestamp): Uint8Array {
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setBigUint64(0, seq, false);
  return payload;
}

/**
 * Durable gateway state in one append-only file of checksummed records: batches of accepted
 * entries, flush watermarks and metadata documents. `append` writes and then fsyncs before it
 * resolves, so an acknowledged push survives a crash or a power cut. On `load`, a torn or
 * corrupt tail (a crash in the middle of a write) is cut off and everything before it is kept.
 */
export class WalGatewayStore implements GatewayStore {
  readonly #path: string;
  readonly #dir: string;
  readonly #sync: boolean;
  #handle: FileHandle | undefined;

  constructor(options: WalStoreOptions) {
    this.#dir = options.dir;
    this.#path = join(options.dir, "wal.log");
    this.#sync = options.sync ?? true;
  }

  /** The log file's path. */
  get path(): string {
    return this.#path;
  }

  async load(): Promise<Result<StoredGatewayState, LakeSyncError>> {
    try {
      await mkdir(this.#dir, { recursive: true });
    } catch (cause) {
      return Err(storeError(`cannot create ${this.#dir}`, cause));
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.#path));
    } catch (cause) {
      if ((cause as { code?: string }).code !== "ENOENT")
        return Err(storeError(`cannot read ${this.#path}`, cause));
      bytes = new Uint8Array();
    }
    const entries: LogEntry[] = [];
    const meta = new Map<string, string>();
    const rows: RowDelta[] = [];
    let horizon: HLCTimestamp | undefined;
    let flushedThrough: HLCTimestamp = HLC_ZERO;
    let offset = 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (offset + HEADER <= bytes.byteLength) {
      const length = view.getUint32(offset, false);
      const end = offset + HEADER + length;
      if (end > bytes.byteLength) break;
      if (crc32(bytes.subarray(offset + 8, end)) !== view.getUint32(offset + 4, false)) break;
      const type = bytes[offset + 8];
      const payload = bytes.subarray(offset + HEADER, end);
      if (type === ROWS) {
        if (!readRows(payload, rows).ok) break;
        offset = end;
        continue;
      }
      if (type === HORIZON) {
        const read = readHorizon(payload);
        if (!read.ok) break;
        horizon = read.value;
        offset = end;
        continue;
      }
      const applied = applyRecord(type, payload, entries, meta);
      if (!applied.ok) break;
      if (applied.value !== undefined && applied.value > flushedThrough)
        flushedThrough = applied.value;
      offset = end;
    }
    try {
      this.#handle = await open(this.#path, "a+");
      if (offset < bytes.byteLength) await this.#handle.truncate(offset);
    } catch (cause) {
      return Err(storeError(`cannot open ${this.#path}`, cause));
    }
    return Ok({
      entries,
      flushedThrough,
      meta,
      ...(rows.length > 0 ? { rows } : {}),
      ...(horizon === undefined ? {} : { horizon }),
    });
  }

  async append(entries: readonly LogEntry[]): Promise<Result<void, LakeSyncError>> {
    if (entries.length === 0) return Ok(undefined);
    const payload = entriesPayload(entries);
    if (!payload.ok) return payload;
    return this.#write(record(ENTRIES_WITH_VIEWS, payload.value));
  }

  async markFlushed(through: HLCTimestamp): Promise<Result<void, LakeSyncError>> {
    return this.#write(record(FLUSHED, seqPayload(through)));
  }

  async putMeta(key: string, value: string): Promise<Result<void, LakeSyncError>> {
    return this.#write(record(META, metaPayload(key, value)));
  }

  /**
   * Writes the snapshot to a new file (meta, watermark, horizon, merged rows, retained entries),
   * fsyncs it, renames it over the log and fsyncs the directory: a crash at any point leaves the
   * old log or the new one, whole.
   */
  async rewrite(snapshot: LogRewrite): Promise<Result<void, LakeSyncError>> {
    const parts: Uint8Array[] = [];
    for (const [key, value] of snapshot.meta) parts.push(record(META, metaPayload(key, value)));
    parts.push(record(FLUSHED, seqPayload(snapshot.flushedThrough)));
    parts.push(record(HORIZON, seqPayload(snapshot.horizon)));
    for (const rows of chunked(snapshot.rows)) {
      const encoded = encodeDeltaChunk(rows);
      if (!encoded.ok) return encoded;
      parts.push(record(ROWS, encoded.value));
    }
    for (const entries of chunked(snapshot.entries)) {
      const payload = entriesPayload(entries);
      if (!payload.ok) return payload;
      parts.push(record(ENTRIES_WITH_VIEWS, payload.value));
    }
    const next = `${this.#path}.rewrite`;
    try {
      const handle = await open(next, "w");
      try {
        for (const part of parts) await handle.write(part);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#handle?.close();
      this.#handle = undefined;
      await rename(next, this.#path);
      const dir = await open(this.#dir, "r");
      await dir.sync().catch(() => undefined);
      await dir.close();
      this.#handle = await open(this.#path, "a+");
      return Ok(undefined);
    } catch (cause) {
      if (!this.#handle) this.#handle = await open(this.#path, "a+").catch(() => undefined);
      return Err(storeError(`cannot rewrite ${this.#path}`, cause));
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  async #write(bytes: Uint8Array): Promise<Result<void, LakeSyncError>> {
    const handle = this.#handle;
    if (!handle) return Err(storeError("the write-ahead log is not open (call load first)"));
    try {
      let written = 0;
      while (written < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, written);
        written += bytesWritten;
      }
      if (this.#sync) await handle.datasync();
      return Ok(undefined);
    } catch (cause) {
      return Err(storeError(`cannot write ${this.#path}`, cause));
    }
  }
}

function readRows(payload: Uint8Array, rows: RowDelta[]): Result<undefined, LakeSyncError> {
  const chunk = decodeDeltaChunk(payload);
  if (!chunk.ok) return Err(storeError("bad rows record"));
  for (const delta of chunk.value) rows.push(delta);
  return Ok(undefined);
}

function readHorizon(payload: Uint8Array): Result<HLCTimestamp | undefined, LakeSyncError> {
  if (payload.byteLength !== 8) return Err(storeError("bad horizon record"));
  const horizon = toHLC(new DataView(payload.buffer, payload.byteOffset, 8).getBigUint64(0, false));
  return horizon.ok ? Ok(horizon.value) : Err(storeError("bad horizon record"));
}

function applyRecord(
  type: number | undefined,
  payload: Uint8Array,
  entries: LogEntry[],
  meta: Map<string, string>,
): Result<HLCTimestamp | undefined, LakeSyncError> {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (type === ENTRIES) {
    if (payload.byteLength < 4) return Err(storeError("short entries record"));
    const count = view.getUint32(0, false);
    const start = 4 + count * 8;
    if (start > payload.byteLength) return Err(storeError("short entries record"));
    const batch = decodeLogBatch(payload.subarray(4, start), payload.subarray(start));
    if (!batch.ok) return Err(storeError("bad entries record"));
    for (const entry of batch.value) entries.push(entry);
    return Ok(undefined);
  }
  if (type === ENTRIES_WITH_VIEWS) {
    if (payload.byteLength < 8) return Err(storeError("short entries record"));
    const count = view.getUint32(0, false);
    const deltasEnd = 8 + count * 8 + view.getUint32(4, false);
    if (deltasEnd > payload.byteLength) return Err(storeError("short entries record"));
    const batch = decodeLogBatch(
      payload.subarray(8, 8 + count * 8),
      payload.subarray(8 + count * 8, deltasEnd),
      payload.subarray(deltasEnd),
    );
    if (!batch.ok) return Err(storeError("bad entries record"));
    for (const entry of batch.value) entries.push(entry);
    return Ok(undefined);
  }
  if (type === FLUSHED) {
    if (payload.byteLength !== 8) return Err(storeError("bad flush record"));
    const through = toHLC(view.getBigUint64(0, false));
    return through.ok ? Ok(through.value) : Err(storeError("bad flush record"));
  }
  if (type === META) {
    if (payload.byteLength < 2) return Err(storeError("bad meta record"));
    const keyLength = view.getUint16(0, false);
    const decoder = new TextDecoder();
    meta.set(
      decoder.decode(payload.subarray(2, 2 + keyLength)),
      decoder.decode(payload.subarray(2 + keyLength)),
    );
    return Ok(undefined);
  }
  return Err(storeError(`unknown record type ${type}`));
}
