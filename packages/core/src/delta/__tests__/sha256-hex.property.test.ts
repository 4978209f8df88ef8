import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex, sha256HexPortable } from "../sha256-hex.js";

describe("sha256Hex", () => {
  it("gives the published digests (empty string, 'abc', non-ASCII)", () => {
    const vectors: [string, string][] = [
      ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ];
    for (const [text, hex] of vectors) {
      expect(sha256Hex(text)).toBe(hex);
      expect(sha256HexPortable(text)).toBe(hex);
    }
  });

  it("the native hash (Node here) and the pure-JS one agree on any string, surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(sha256HexPortable(text));
      }),
      { numRuns: 2000 },
    );
  });
});
