/**
 * @module store/sql/hlc-bytes
 * HLC timestamps as 8-byte big-endian blobs: SQLite compares blobs byte by byte, so they sort in
 * HLC order, and a Durable Object (whose integers come back as doubles) keeps all 64 bits.
 */
import type { HLCTimestamp } from "@lakesync/core";

/** The 8 bytes of an HLC, big-endian. */
export function hlcBytes(hlc: HLCTimestamp): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, hlc, false);
  return bytes;
}

/** The HLC of 8 big-endian bytes (at `offset`), or `undefined` if they are not there. */
export function hlcOf(bytes: unknown, offset = 0): HLCTimestamp | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < offset + 8) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(
    offset,
    false,
  ) as HLCTimestamp;
}
