/**
 * @module wire/utf8
 * UTF-8 for protobuf strings: exact encoded lengths, encoding into a buffer, and strict decoding.
 * Short ASCII, the common case for ids, names and JSON, takes a fast path in plain JavaScript;
 * the rest goes through the platform's fatal `TextDecoder` (via protobuf-es), so invalid UTF-8
 * is always rejected rather than replaced.
 */
import { getTextEncoding } from "@bufbuild/protobuf/wire";
import { fail } from "./failure.js";

const { decodeUtf8 } = getTextEncoding();
// Strings up to this length are built from a reused array of char codes: one flat string and
// no temporary view, which measured faster than concatenation, subarrays or a native decoder.
const REUSED_MAX = 64;
const CODES = Array.from({ length: REUSED_MAX + 1 }, (_, n) => new Array<number>(n).fill(0));

/**
 * Decodes `bytes[start, end)` as UTF-8. Throws a `Failure` (`INVALID_UTF8`) for bytes that are
 * not well-formed UTF-8; a leading U+FEFF is kept as text, as protobuf requires.
 */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if ((bytes[i] as number) >= 0x80) return decodeStrict(bytes, start, end);
  }
  return readAscii(bytes, start, end);
}

/** Builds the string of `bytes[start, end)`, which the caller has checked are all ASCII. */
export function readAscii(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= REUSED_MAX) {
    const codes = CODES[n] as number[];
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i] as number;
    return String.fromCharCode.apply(null, codes);
  }
  return decodeUtf8(bytes.subarray(start, end), false);
}

function decodeStrict(bytes: Uint8Array, start: number, end: number): string {
  try {
    return decodeUtf8(bytes.subarray(start, end), true);
  } catch (cause) {
    return fail("INVALID_UTF8", "", "not valid UTF-8", cause);
  }
}

/**
 * The number of bytes `text` takes in UTF-8, or -1 when it holds a lone surrogate (which UTF-8
 * cannot represent, so it could not survive a round trip).
 */
export function utf8Length(text: string): number {
  const n = text.length;
  let length = n;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      length += 1;
    } else if (code < 0xd800 || code > 0xdfff) {
      length += 2;
    } else {
      const next = text.charCodeAt(i + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
      // The pair is two UTF-16 units and four UTF-8 bytes.
      length += 2;
      i++;
    }
  }
  return length;
}

/**
 * Writes `text` as UTF-8 at `pos` and returns the position after it. The caller has sized the
 * buffer with {@link utf8Length}, which also rejected lone surrogates.
 */
export function writeUtf8(bytes: Uint8Array, pos: number, text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes[pos++] = code;
    } else if (code < 0x800) {
      bytes[pos++] = 0xc0 | (code >> 6);
      bytes[pos++] = 0x80 | (code & 0x3f);
    } else if (code < 0xd800 || code > 0xdfff) {
      bytes[pos++] = 0xe0 | (code >> 12);
      bytes[pos++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[pos++] = 0x80 | (code & 0x3f);
    } else {
      code = 0x10000 + ((code - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      bytes[pos++] = 0xf0 | (code >> 18);
      bytes[pos++] = 0x80 | ((code >> 12) & 0x3f);
      bytes[pos++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[pos++] = 0x80 | (code & 0x3f);
    }
  }
  return pos;
}
