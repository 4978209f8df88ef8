/**
 * @module hlc/timestamp
 * The 64-bit hybrid logical clock timestamp: 48-bit wall clock in milliseconds, 16-bit counter.
 */
import { ValidationError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";

declare const hlcBrand: unique symbol;

/** A hybrid logical clock timestamp: `(wallMs << 16) | counter` as an unsigned 64-bit bigint. */
export type HLCTimestamp = bigint & { readonly [hlcBrand]: true };

/** The largest wall-clock value a timestamp can hold (2^48 - 1 ms, in the year 10889). */
export const MAX_WALL_MS = 2 ** 48 - 1;
/** The largest logical counter a timestamp can hold. */
export const MAX_COUNTER = 0xffff;
/** The smallest timestamp: wall 0, counter 0. Useful as "nothing seen yet". */
export const HLC_ZERO = 0n as HLCTimestamp;
/** The largest timestamp a 64-bit field can hold. */
export const HLC_MAX = 0xffff_ffff_ffff_ffffn as HLCTimestamp;

/** The two parts of a timestamp. */
export interface HLCParts {
  readonly wallMs: number;
  readonly counter: number;
}

/**
 * Builds a timestamp from its parts. Returns `Err(ValidationError)` when the wall clock is not an
 * integer in [0, 2^48) or the counter is not an integer in [0, 65535].
 */
export function encodeHLC(wallMs: number, counter: number): Result<HLCTimestamp, ValidationError> {
  if (!Number.isSafeInteger(wallMs) || wallMs < 0 || wallMs > MAX_WALL_MS) {
    return Err(
      new ValidationError(`HLC wall clock must be an integer in [0, 2^48), got ${wallMs}`),
    );
  }
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    return Err(new ValidationError(`HLC counter must be an integer in [0, 65535], got ${counter}`));
  }
  return Ok(((BigInt(wallMs) << 16n) | BigInt(counter)) as HLCTimestamp);
}

/** Splits a timestamp into its wall clock and counter. */
export function decodeHLC(ts: HLCTimestamp): HLCParts {
  return { wallMs: Number(ts >> 16n), counter: Number(ts & 0xffffn) };
}

/** Orders two timestamps: negative when `a` is earlier, positive when later, 0 when equal. */
export function compareHLC(a: HLCTimestamp, b: HLCTimestamp): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checks that an untrusted bigint is a valid 64-bit unsigned timestamp and brands it.
 * Returns `Err(ValidationError)` for negative values or values wider than 64 bits.
 */
export function toHLC(value: bigint): Result<HLCTimestamp, ValidationError> {
  if (typeof value !== "bigint" || value < 0n || value > HLC_MAX) {
    return Err(new ValidationError(`HLC must be an unsigned 64-bit integer, got ${String(value)}`));
  }
  return Ok(value as HLCTimestamp);
}

/** Parses the decimal string form of a timestamp (as stored in JSON and IndexedDB). */
export function parseHLC(text: string): Result<HLCTimestamp, ValidationError> {
  if (typeof text !== "string" || !/^\d{1,20}$/.test(text)) {
    return Err(
      new ValidationError(`HLC string must be 1 to 20 decimal digits, got ${JSON.stringify(text)}`),
    );
  }
  return toHLC(BigInt(text));
}

/** The decimal string form of a timestamp; `parseHLC` reverses it. */
export function formatHLC(ts: HLCTimestamp): string {
  return ts.toString();
}
