import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stampKey } from "../stamp-key.js";

const hex = (key: string | Uint8Array) =>
  typeof key === "string" ? key : Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");

describe("stampKey", () => {
  it("keeps short ids as they are", () => {
    expect(stampKey("t1")).toBe("t1");
    expect(stampKey("sixteen-chars-id")).toBe("sixteen-chars-id");
  });

  it("stores a canonical UUID as its 16 bytes", () => {
    const id = "6f9619ff-8b86-4011-b42d-00c04fc964ff";
    expect(stampKey(id)).toBeInstanceOf(Uint8Array);
    expect(hex(stampKey(id))).toBe(id.replaceAll("-", ""));
  });

  it("hashes other long ids (upper-case UUIDs included) to 17 bytes, so they never meet a UUID key", () => {
    expect(stampKey("6F9619FF-8B86-4011-B42D-00C04FC964FF")).toHaveLength(17);
    expect(stampKey("a row id that is longer than sixteen")).toHaveLength(17);
  });

  it("distinct row ids never share a key", () => {
    const rowId = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.string({ unit: "binary", minLength: 15, maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(rowId, { minLength: 2, maxLength: 30 }), (ids) => {
        const keys = ids.map((id) => `${typeof stampKey(id)}:${hex(stampKey(id))}`);
        expect(new Set(keys).size).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
  });
});
