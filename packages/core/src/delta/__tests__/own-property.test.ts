import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setOwn } from "../own-property.js";

describe("setOwn", () => {
  it("makes __proto__ an own, enumerable property without touching the prototype", () => {
    const target: Record<string, unknown> = {};
    setOwn(target, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(target, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("shadows the prototype's own names (constructor, toString, hasOwnProperty)", () => {
    const target: Record<string, number> = {};
    for (const [i, key] of ["constructor", "toString", "hasOwnProperty", "valueOf"].entries())
      setOwn(target, key, i);
    expect(Object.entries(target)).toEqual([
      ["constructor", 0],
      ["toString", 1],
      ["hasOwnProperty", 2],
      ["valueOf", 3],
    ]);
    expect(Object.prototype.toString.call({})).toBe("[object Object]");
  });

  it("any key becomes an own property holding the value, as with defineProperty", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.integer())), (pairs) => {
        const target: Record<string, number> = {};
        const expected: Record<string, number> = {};
        for (const [key, value] of pairs) {
          setOwn(target, key, value);
          Object.defineProperty(expected, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
        expect(Object.entries(target).sort()).toEqual(Object.entries(expected).sort());
      }),
    );
  });
});
