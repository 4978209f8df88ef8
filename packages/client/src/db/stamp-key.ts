/**
 * @module db/stamp-key
 * The key a row's merge stamps are stored under, kept short so the merge state does not pay for a
 * second full copy of every row id (a UUID is 36 characters):
 * - a row id of at most 16 code units is its own key (TEXT);
 * - a UUID in canonical form (lower-case hex, 8-4-4-4-12) is its 16 bytes (BLOB), exactly;
 * - any other id is the first 17 bytes of its SHA-256 (BLOB).
 *
 * The three kinds never meet: SQLite never finds TEXT equal to a BLOB, and the two BLOB kinds
 * differ in length. Only two ids of the third kind can share a key, by colliding in 136 bits of
 * SHA-256 (a stronger assumption than `deltaId` already makes for idempotence).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** Row ids up to this many UTF-16 code units are keys themselves. */
export const MAX_PLAIN_KEY_LENGTH = 16;

/** Bytes of SHA-256 kept for other long row ids: one more than a UUID key, so they never meet. */
const HASH_BYTES = 17;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function hexDigit(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

function uuidBytes(id: string): Uint8Array {
  const bytes = new Uint8Array(16);
  let at = 0;
  for (let i = 0; i < id.length; i += 2) {
    if (id.charCodeAt(i) === 45) i++;
    bytes[at++] = (hexDigit(id.charCodeAt(i)) << 4) | hexDigit(id.charCodeAt(i + 1));
  }
  return bytes;
}

/** The stamp key of a row id (see the module comment). */
export function stampKey(rowId: string): string | Uint8Array {
  if (rowId.length <= MAX_PLAIN_KEY_LENGTH) return rowId;
  if (rowId.length === 36 && UUID.test(rowId)) return uuidBytes(rowId);
  return sha256(utf8ToBytes(rowId)).slice(0, HASH_BYTES);
}
