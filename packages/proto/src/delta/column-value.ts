/**
 * @module delta/column-value
 * Column values on the wire: one JSON value as UTF-8 text. Decoding is as strict as
 * `checkColumnValue` in @lakesync/core (finite numbers, at most 64 levels of nesting), with fast
 * paths for the shapes most columns hold (short ASCII strings, small integers, literals), which
 * accept exactly what `JSON.parse` would and give the same value.
 */
import { type ColumnValue, checkColumnValue } from "@lakesync/core";
import { fail } from "../wire/failure.js";
import { readAscii, readUtf8 } from "../wire/utf8.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
// 15 digits always fit a double exactly.
const MAX_FAST_DIGITS = 15;
// The nesting limit of checkColumnValue in @lakesync/core.
const MAX_DEPTH = 64;

/**
 * Parses the JSON text in `bytes[start, end)` as a column value. Throws a `Failure`:
 * `INVALID_JSON` for empty bytes (null is the text `null`), text that is not exactly one JSON
 * value, or a value `checkColumnValue` rejects; `INVALID_UTF8` for bytes that are not UTF-8.
 */
export function parseColumnValue(bytes: Uint8Array, start: number, end: number): ColumnValue {
  const length = end - start;
  if (length === 0) return fail("INVALID_JSON", "", "empty value (null is the JSON text null)");
  const first = bytes[start] as number;
  if (first === QUOTE) {
    const fast = plainString(bytes, start, end);
    if (fast !== undefined) return fast;
  } else if (first >= ZERO && first <= NINE && length <= MAX_FAST_DIGITS) {
    const fast = smallInteger(bytes, start, end);
    if (fast !== undefined) return fast;
  } else if (length === 4 && first === 0x6e && isWord(bytes, start, "null")) {
    return null;
  } else if (length === 4 && first === 0x74 && isWord(bytes, start, "true")) {
    return true;
  } else if (length === 5 && first === 0x66 && isWord(bytes, start, "false")) {
    return false;
  }
  return parseGeneral(readUtf8(bytes, start, end));
}

/**
 * A JSON string without escapes or control characters: its text is the UTF-8 between the
 * quotes, so no JSON parsing is needed. Undefined when the string needs the general path.
 */
function plainString(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start < 2 || bytes[end - 1] !== QUOTE) return undefined;
  let ascii = true;
  for (let i = start + 1; i < end - 1; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte === QUOTE || byte === BACKSLASH) return undefined;
    if (byte >= 0x80) ascii = false;
  }
  return ascii ? readAscii(bytes, start + 1, end - 1) : readUtf8(bytes, start + 1, end - 1);
}

/** A non-negative integer without leading zeros, sign, fraction or exponent; else undefined. */
function smallInteger(bytes: Uint8Array, start: number, end: number): number | undefined {
  if (bytes[start] === ZERO && end - start > 1) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < ZERO || byte > NINE) return undefined;
    value = value * 10 + (byte - ZERO);
  }
  return value;
}

function isWord(bytes: Uint8Array, start: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if (bytes[start + i] !== word.charCodeAt(i)) return false;
  }
  return true;
}

function parseGeneral(text: string): ColumnValue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return fail("INVALID_JSON", "", "not a JSON value", cause);
  }
  // JSON.parse only builds plain data: what checkColumnValue could still refuse is nesting
  // deeper than 64 levels or a number too large for a double (1e400 parses as Infinity).
  if (!withinLimits(value, 0)) {
    const checked = checkColumnValue(value);
    if (!checked.ok) return fail("INVALID_JSON", "", checked.error.message, checked.error);
  }
  return value as ColumnValue;
}

/** True when parsed JSON nests at most 64 levels and holds only finite numbers. */
function withinLimits(value: unknown, depth: number): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!withinLimits(value[i], depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (!withinLimits((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The JSON text of a column value, after `checkColumnValue` (so `undefined`, `NaN`, `Infinity`,
 * functions, class instances and cycles are refused rather than silently changed by
 * `JSON.stringify`). Throws a `Failure` (`INVALID_JSON`) for such a value.
 */
export function serialiseColumnValue(value: ColumnValue): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (Number.isFinite(value)) return JSON.stringify(value);
      break;
    default:
      if (value === null) return "null";
  }
  const checked = checkColumnValue(value);
  if (!checked.ok) return fail("INVALID_JSON", "", checked.error.message, checked.error);
  return JSON.stringify(value);
}
