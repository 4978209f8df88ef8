/**
 * @module wire/hex
 * Delta ids: 64 lower-case hex characters in memory, their 32 raw bytes on the wire.
 */

/** The length of a delta id on the wire, in bytes (a SHA-256 digest). */
export const DELTA_ID_BYTES = 32;

const DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const HIGH = Array.from({ length: 256 }, (_, i) => DIGITS[i >> 4] as number);
const LOW = Array.from({ length: 256 }, (_, i) => DIGITS[i & 15] as number);
// Reused by every call: one flat string from 64 char codes beats 32 concatenations (3x here).
const codes: number[] = new Array<number>(DELTA_ID_BYTES * 2).fill(0);
const NIBBLES = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLES[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLES[97 + i] = 10 + i;

/** Lower-case hex of `bytes[start, start + 32)`. */
export function deltaIdToHex(bytes: Uint8Array, start: number): string {
  for (let i = 0; i < DELTA_ID_BYTES; i++) {
    const byte = bytes[start + i] as number;
    codes[2 * i] = HIGH[byte] as number;
    codes[2 * i + 1] = LOW[byte] as number;
  }
  return String.fromCharCode.apply(null, codes);
}

/**
 * Writes the 32 bytes of a 64-character lower-case hex delta id at `pos`. Returns false, having
 * written nothing useful, when `hex` is not exactly that (upper case is rejected so that every
 * id has one spelling and deduplication by id stays exact).
 */
export function writeDeltaIdHex(bytes: Uint8Array, pos: number, hex: string): boolean {
  if (hex.length !== DELTA_ID_BYTES * 2) return false;
  for (let i = 0; i < DELTA_ID_BYTES; i++) {
    const hi = NIBBLES[hex.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLES[hex.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) return false;
    bytes[pos + i] = (hi << 4) | lo;
  }
  return true;
}

/** True when `hex` is 64 lower-case hex characters, the only valid spelling of a delta id. */
export function isDeltaIdHex(hex: string): boolean {
  if (hex.length !== DELTA_ID_BYTES * 2) return false;
  for (let i = 0; i < hex.length; i++) {
    if ((NIBBLES[hex.charCodeAt(i)] ?? -1) < 0) return false;
  }
  return true;
}
