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
import type { LogEntry } from "../log/log-entry.js";

/** A batch as stored: the seqs (8 bytes each) and the deltas, protobuf-encoded. */
export interface EncodedBatch {
  readonly seqs: Uint8Array;
  readonly deltas: Uint8Array;
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
  return Ok({ seqs, deltas: deltas.value });
}

/** Decodes a stored batch; `Err(STORE_CORRUPT)` when the parts do not fit together. */
export function decodeLogBatch(
  seqs: Uint8Array,
  deltas: Uint8Array,
): Result<LogEntry[], LakeSyncError> {
  const decoded = decodeDeltaChunk(deltas);
  if (!decoded.ok) return decoded;
  if (seqs.byteLength !== decoded.value.length * 8)
    return Err(corrupt("a stored batch has the wrong number of sequence numbers"));
  const view = new DataView(seqs.buffer, seqs.byteOffset, seqs.byteLength);
  return Ok(
    decoded.value.map((delta, i) => ({
      seq: view.getBigUint64(i * 8, false) as HLCTimestamp,
      delta,
    })),
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
