import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import fc from "fast-check";
import stringify from "fast-json-stable-stringify";
import { describe, expect, it } from "vitest";
import { type ColumnValue, canonicalJson, deltaId, toHLC, unwrapOrThrow } from "../../index.js";

const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<ColumnValue>;

describe("canonical JSON", () => {
  it("is exactly fast-json-stable-stringify's output for every JSON value", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it("gives equal strings for values that differ only in key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });

  it("deltaId is SHA-256 of the stable stringify of the documented object", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.string(),
        fc.string(),
        fc.uniqueArray(fc.record({ column: fc.string(), value: json }), {
          selector: (c) => c.column,
          maxLength: 5,
        }),
        (clientId, raw, table, rowId, columns) => {
          const hlc = unwrapOrThrow(toHLC(raw));
          const sorted = [...columns].sort((a, b) =>
            a.column < b.column ? -1 : a.column > b.column ? 1 : 0,
          );
          const expected = bytesToHex(
            sha256(
              utf8ToBytes(
                stringify({ clientId, hlc: hlc.toString(), table, rowId, columns: sorted }),
              ),
            ),
          );
          expect(deltaId({ clientId, hlc, table, rowId, columns })).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
