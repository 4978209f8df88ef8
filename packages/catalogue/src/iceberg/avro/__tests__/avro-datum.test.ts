import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AvroReader, AvroWriter, decodeDatum, encodeDatum, resolveSchema } from "../avro-datum.js";

const roundTrip = (schema: unknown, value: unknown) => {
  const type = resolveSchema(schema);
  const writer = new AvroWriter();
  encodeDatum(type, value, writer);
  const bytes = writer.take();
  const reader = new AvroReader(bytes);
  const back = decodeDatum(type, reader);
  expect(reader.pos).toBe(bytes.length);
  return back;
};

const RECORD = {
  type: "record",
  name: "r",
  fields: [
    { name: "id", type: "long", "field-id": 1 },
    { name: "name", type: ["null", "string"], default: null },
    { name: "flags", type: { type: "array", items: "boolean" } },
    { name: "sizes", type: { type: "map", values: "int" } },
    { name: "digest", type: { type: "fixed", name: "d", size: 4 } },
    { name: "kind", type: { type: "enum", name: "k", symbols: ["A", "B"] } },
    { name: "blob", type: ["null", "bytes"] },
    { name: "ratio", type: "double" },
    { name: "either", type: ["null", "int", "string"] },
    {
      name: "nested",
      type: ["null", { type: "record", name: "n", fields: [{ name: "x", type: "int" }] }],
    },
  ],
};

describe("the Avro interpreter", () => {
  it("round-trips longs across the whole safe range, zig-zag and 10-byte varints included", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(roundTrip("long", n)).toBe(n);
      }),
    );
    for (const n of [
      0,
      -1,
      1,
      2 ** 48,
      -(2 ** 48),
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ])
      expect(roundTrip("long", n)).toBe(n);
  });

  it("round-trips records with every kind of field", () => {
    const value = {
      id: 7,
      name: "naïve ☕",
      flags: [true, false],
      sizes: { a: 1, "b c": -2 },
      digest: new Uint8Array([1, 2, 3, 4]),
      kind: "B",
      blob: null,
      ratio: 0.1 + 0.2,
      either: { string: "x" },
      nested: { x: 3 },
    };
    expect(roundTrip(RECORD, value)).toEqual(value);
  });

  it("uses a field's default when the value lacks it, and names the path of a value that does not fit", () => {
    const type = resolveSchema(RECORD);
    const writer = new AvroWriter();
    expect(() =>
      encodeDatum(
        type,
        {
          id: 1,
          flags: [],
          sizes: {},
          digest: new Uint8Array(3),
          kind: "A",
          blob: null,
          ratio: 1,
          either: null,
          nested: null,
        },
        writer,
      ),
    ).toThrow(/digest: expected 4 bytes/);
    expect(() => encodeDatum(resolveSchema("long"), 2 ** 60, new AvroWriter())).toThrow(
      /safe integer/,
    );
  });

  it("refuses truncated data and unknown types instead of reading garbage", () => {
    expect(() =>
      decodeDatum(resolveSchema("string"), new AvroReader(new Uint8Array([10, 65]))),
    ).toThrow(/ends inside/);
    expect(() =>
      resolveSchema({ type: "record", name: "x", fields: [{ name: "a", type: "nope" }] }),
    ).toThrow(/unknown type/);
  });
});
