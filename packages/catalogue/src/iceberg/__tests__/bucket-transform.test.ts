import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketCount,
  bucketOfHash,
  bucketString,
  hashLong,
  hashString,
  murmur3Hash32,
} from "../bucket-transform.js";

describe("bucket[N] matches the spec's reference hashes (Appendix B)", () => {
  it("hashes a string's UTF-8 bytes: iceberg → 1210000089", () => {
    expect(hashString("iceberg")).toBe(1210000089);
  });

  it("hashes int and long alike as 8 little-endian bytes: 34 → 2017239379", () => {
    expect(hashLong(34)).toBe(2017239379);
    expect(hashLong(34n)).toBe(2017239379);
  });

  it("hashes dates and timestamps through their long value", () => {
    const days = Date.UTC(2017, 10, 16) / 86_400_000;
    expect(hashLong(days)).toBe(-653330422);
    expect(hashLong(BigInt(Date.UTC(2017, 10, 16, 22, 31, 8)) * 1000n)).toBe(-2047944441);
    expect(hashLong(BigInt(Date.UTC(2017, 10, 16, 22, 31, 8)) * 1000n + 1n)).toBe(-1207196810);
  });

  it("hashes raw bytes: 00 01 02 03 → -188683207, the spec's uuid → 1488055340", () => {
    expect(murmur3Hash32(Uint8Array.of(0, 1, 2, 3))).toBe(-188683207);
    const uuid =
      "f79c3e09677c4bbda4793f349cb785e7".match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
    expect(murmur3Hash32(Uint8Array.from(uuid))).toBe(1488055340);
  });

  it("hashes the empty string and multi-byte characters", () => {
    expect(hashString("")).toBe(0);
    expect(hashString("ü")).toBe(murmur3Hash32(new TextEncoder().encode("ü")));
  });

  it("takes (hash & Integer.MAX_VALUE) % N", () => {
    expect(bucketString("iceberg", 16)).toBe(1210000089 % 16);
    expect(bucketOfHash(-1, 16)).toBe(0x7fffffff % 16);
  });

  it("always lands in [0, N)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 1 << 20 }), (s, n) => {
        const b = bucketString(s, n);
        return Number.isInteger(b) && b >= 0 && b < n;
      }),
    );
  });

  it("reads N from bucket[N] transforms only", () => {
    expect(bucketCount("bucket[16]")).toBe(16);
    expect(bucketCount("bucket[0]")).toBeUndefined();
    expect(bucketCount("truncate[16]")).toBeUndefined();
    expect(bucketCount("bucket[x]")).toBeUndefined();
  });
});
