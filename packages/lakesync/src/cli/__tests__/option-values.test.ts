import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { integerBetween, parseBytes, parseDuration } from "../option-values.js";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNIT_BYTES = {
  "": 1,
  B: 1,
  K: 1024,
  KiB: 1024,
  MiB: 1024 ** 2,
  G: 1024 ** 3,
  GiB: 1024 ** 3,
};

describe("option values people type", () => {
  it("a duration is its number times its unit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(...(Object.keys(UNIT_MS) as (keyof typeof UNIT_MS)[])),
        (n, unit) => parseDuration(`${n}${unit}`) === n * UNIT_MS[unit],
      ),
    );
  });

  it("a size is its number times its binary unit, in any case", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4096 }),
        fc.constantFrom(...(Object.keys(UNIT_BYTES) as (keyof typeof UNIT_BYTES)[])),
        fc.boolean(),
        (n, unit, lower) =>
          parseBytes(`${n}${lower ? unit.toLowerCase() : unit}`) === n * UNIT_BYTES[unit],
      ),
    );
  });

  it("0 needs no unit, any other duration does", () => {
    expect(parseDuration("0")).toBe(0);
    expect(() => parseDuration("5")).toThrow(/unit/);
    expect(() => parseDuration("-1d")).toThrow();
    expect(() => parseDuration("1.5h")).toThrow();
  });

  it("sizes and integers outside their range are refused in words", () => {
    expect(() => parseBytes("12 parsecs")).toThrow(/KiB, MiB or GiB/);
    expect(() => integerBetween(1, 10)("11")).toThrow("from 1 to 10");
    expect(() => integerBetween(1, 10)("2.5")).toThrow();
    expect(integerBetween(0, 65_535)("0")).toBe(0);
  });
});
