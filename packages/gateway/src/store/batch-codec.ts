/**
 * @module store/batch-codec
 * The one binary form of a batch of log entries, shared by every durable store: the sequence
 * numbers as big-endian u64s, and the deltas as one protobuf push.
 */
import {
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
} from "@lakesync/core";
import { decodeSyncPush, encodeSyncPush } from "@lakesync/proto";
import type { LogEntry, RowView } from "../log/log-entry.js";

/**
 * A batch as stored: the seqs (8 bytes each), the deltas (protobuf-encoded) and, when any entry
 * has one, the entries' row views (UTF-8 JSON, one item per entry: `null` or `[before, after]`).
 */
export interface EncodedBatch {
  readonly seqs: Uint8Array;
  readonly deltas: Uint8Array;
  readonly views?: Uint8Array;
}

function corrupt(message: string, cause?: unknown): LakeSyncError {
  return new LakeSyncError("STORE_CORRUPT", message, cause === undefined ? {} : { cause });
}

/** Encodes entries for storage. */
export function encodeLogBatch(entries: readonly LogEntry[]): Result<EncodedBatch, LakeSyncError> {
  const deltas = encodeDeltaChunk(entries.map((e) => e.delta));
  if (!deltas.ok) return deltas;
  const seqs = new Uint8Array(entries.length * 8);
  const view = new DataView(seqs.buffer);
  for (const [i, entry] of entries.entries()) view.setBigUint64(i * 8, entry.seq, false);
  if (!entries.some((e) => e.view)) return Ok({ seqs, deltas: deltas.value });
  const views = entries.map((e) => (e.view ? [e.view.before, e.view.after] : null));
  return Ok({ seqs, deltas: deltas.value, views: new TextEncoder().encode(JSON.stringify(views)) });
}

function parseViews(
  bytes: Uint8Array | undefined,
  count: number,
): Result<(RowView | undefined)[], LakeSyncError> {
  if (bytes === undefined || bytes.byteLength === 0)
    return Ok(new Array<undefined>(count).fill(undefined));
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    return Err(corrupt("the row views of a stored batch are not JSON", cause));
  }
  if (!Array.isArray(parsed) || parsed.length !== count)
    return Err(corrupt("a stored batch has the wrong number of row views"));
  const out: (RowView | undefined)[] = [];
  for (const item of parsed) {
    if (item === null) out.push(undefined);
    else if (Array.isArray(item) && item.length === 2)
      out.push({ before: item[0], after: item[1] });
    else return Err(corrupt("a stored row view is malformed"));
  }
  return Ok(out);
}

/** Decodes a stored batch; `Err(STORE_CORRUPT)` when the parts do not fit together. */
export function decodeLogBatch(
  seqs: Uint8Array,
  deltas: Uint8Array,
  views?: Uint8Array,
): Result<LogEntry[], LakeSyncError> {
  const decoded = decodeDeltaChunk(deltas);
  if (!decoded.ok) return decoded;
  if (seqs.byteLength !== decoded.value.length * 8)
    return Err(corrupt("a stored batch has the wrong number of sequence numbers"));
  const rowViews = parseViews(views, decoded.value.length);
  if (!rowViews.ok) return rowViews;
  const data = new DataView(seqs.buffer, seqs.byteOffset, seqs.byteLength);
  return Ok(
    decoded.value.map((delta, i) => {
      const seq = data.getBigUint64(i * 8, false) as HLCTimestamp;
      const view = rowViews.value[i];
      return view ? { seq, delta, view } : { seq, delta };
    }),
  );
}

/** Encodes deltas (merged rows of a log rewrite, or a batch's deltas) as one protobuf push. */
export function encodeDeltaChunk(deltas: readonly RowDelta[]): Result<Uint8Array, LakeSyncError> {
  return encodeSyncPush({ clientId: "store", deltas, lastSeenHlc: HLC_ZERO });
}

/** Decodes a chunk written by {@link encodeDeltaChunk}. */
export function decodeDeltaChunk(bytes: Uint8Array): Result<RowDelta[], LakeSyncError> {
  const push = decodeSyncPush(bytes);
  if (!push.ok) return Err(corrupt("a stored batch is corrupt", push.error));
  return Ok([...push.value.deltas]);
}

/** Splits a list into chunks of at most `size` (rewrites store rows and entries in chunks). */
export function chunked<T>(items: readonly T[], size = 10_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
