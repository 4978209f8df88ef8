/**
 * @module cli/option-values
 * Parsers of option values people type (`5d`, `128MiB`, `8787`), in commander's argument-parser
 * shape: a bad value throws commander's `InvalidArgumentError`, which the command line reports
 * as a usage error (exit code 2) naming the option.
 */
import { InvalidArgumentError } from "commander";

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds of a duration such as `0`, `500ms`, `30s`, `15m`, `12h`, `5d` or `2w`. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(ms|s|m|h|d|w)?$/.exec(text.trim());
  const amount = match?.[1];
  if (amount === undefined || (match?.[2] === undefined && amount !== "0"))
    throw new InvalidArgumentError(
      "give a whole number and a unit: ms, s, m, h, d or w (for example 5d or 12h)",
    );
  const unit = DURATION_UNITS[match?.[2] ?? "ms"] ?? 1;
  const ms = Number(amount) * unit;
  if (!Number.isSafeInteger(ms)) throw new InvalidArgumentError("the duration is too long");
  return ms;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

/** Bytes of a size such as `4096`, `512KiB`, `128MiB` or `1GiB` (K, M and G are binary too). */
export function parseBytes(text: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = BYTE_UNITS[(match?.[2] ?? "?").toLowerCase()];
  if (match?.[1] === undefined || unit === undefined)
    throw new InvalidArgumentError("give a whole number of bytes, or KiB, MiB or GiB");
  const bytes = Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes)) throw new InvalidArgumentError("the size is too large");
  return bytes;
}

/** A parser of whole numbers from `min` to `max`. */
export function integerBetween(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`give a whole number from ${min} to ${max}`);
    return n;
  };
}
