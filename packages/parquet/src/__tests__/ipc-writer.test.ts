import { unwrapOrThrow } from "@lakesync/core";
import {
  Binary,
  Bool,
  Field,
  Float64,
  Int32,
  List,
  Schema,
  tableFromIPC,
  Uint64,
  Utf8,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validityOf, writeBinary, writeFixed } from "../arrow/ipc-columns.js";
import { IpcWriter } from "../arrow/ipc-writer.js";
import { writeUtf8, writeUtf8List } from "../arrow/utf8-column.js";
import { writeDeltasToParquet } from "../node.js";
import { delta, sample, todos } from "./fixtures.js";

const schema = new Schema([
  new Field("text", new Utf8(), true),
  new Field("names", new List(new Field("item", new Utf8(), false)), false),
  new Field("number", new Float64(), true),
  new Field("flag", new Bool(), true),
  new Field("clock", new Uint64(), false),
  new Field("count", new Int32(), true),
  new Field("blob", new Binary(), true),
]);

interface Row {
  text: string | null;
  names: string[];
  number: number | null;
  flag: boolean | null;
  clock: bigint;
  count: number | null;
  blob: Uint8Array | null;
}

const row = fc.record({
  // Lone surrogates included: they are written as U+FFFD, as TextEncoder does.
  text: fc.option(fc.string({ unit: "binary", maxLength: 12 }), { nil: null }),
  names: fc.array(fc.string({ unit: "grapheme", maxLength: 6 }), { maxLength: 3 }),
  number: fc.option(fc.double(), { nil: null }),
  flag: fc.option(fc.boolean(), { nil: null }),
  clock: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  count: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  blob: fc.option(fc.uint8Array({ maxLength: 5 }), { nil: null }),
});

/** Writes `rows` as one record batch of `writer`, column by column. */
function writeBatch(writer: IpcWriter, rows: readonly Row[]): void {
  const n = rows.length;
  const valid = (pick: (r: Row) => unknown) => validityOf(n, (i) => pick(rows[i] as Row) !== null);
  const listOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    listOffsets[i + 1] = (listOffsets[i] as number) + (rows[i] as Row).names.length;
  const flags = new Uint8Array((n + 7) >> 3);
  rows.forEach((r, i) => {
    if (r.flag) flags[i >> 3] = (flags[i >> 3] as number) | (1 << (i & 7));
  });
  writer.beginBatch(n);
  writeUtf8(
    writer,
    n,
    rows.map((r) => r.text),
    valid((r) => r.text),
  );
  writeUtf8List(
    writer,
    listOffsets,
    rows.flatMap((r) => r.names),
  );
  writeFixed(
    writer,
    n,
    Float64Array.from(rows, (r) => r.number ?? 0),
    valid((r) => r.number),
  );
  writeFixed(
    writer,
    n,
    flags,
    valid((r) => r.flag),
  );
  writeFixed(
    writer,
    n,
    BigUint64Array.from(rows, (r) => r.clock),
  );
  writeFixed(
    writer,
    n,
    Int32Array.from(rows, (r) => r.count ?? 0),
    valid((r) => r.count),
  );
  writeBinary(
    writer,
    n,
    rows.map((r) => r.blob),
    valid((r) => r.blob),
  );
  writer.endBatch();
}

const utf8 = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s));

describe("the Arrow IPC stream writer", () => {
  it("writes streams apache-arrow reads back value for value, over several batches (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(row, { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
        (batches) => {
          // A small start forces the buffer to grow while columns are written.
          const writer = new IpcWriter(schema, 64);
          for (const rows of batches) writeBatch(writer, rows);
          const table = tableFromIPC(writer.finish());
          const back = table.toArray().map((r) => {
            const v = r.toJSON();
            return { ...v, names: v.names ? [...v.names] : v.names };
          });
          const expected = batches.flat().map((r) => ({
            ...r,
            text: r.text === null ? null : utf8(r.text),
          }));
          expect(back).toEqual(expected);
          writer.release();
        },
      ),
      { numRuns: 60 },
    );
  });

  it("text longer than one encoding piece, with non-ASCII text in some pieces, keeps every string", () => {
    const strings = Array.from({ length: 5000 }, (_, i) => (i % 1700 === 3 ? `ü${i}€` : `s${i}`));
    const writer = new IpcWriter(new Schema([new Field("text", new Utf8(), false)]));
    writer.beginBatch(strings.length);
    writeUtf8(writer, strings.length, strings);
    writer.endBatch();
    expect(tableFromIPC(writer.finish()).getChild("text")?.toArray()).toEqual(strings);
    writer.release();
  });

  it("a column copied past the room left grows the buffer and keeps every value", () => {
    const numbers = Float64Array.from({ length: 10_000 }, (_, i) => i / 3);
    const writer = new IpcWriter(new Schema([new Field("n", new Float64(), false)]), 64);
    writer.beginBatch(numbers.length);
    writeFixed(writer, numbers.length, numbers);
    writer.endBatch();
    expect(tableFromIPC(writer.finish()).getChild("n")?.toArray()).toEqual(numbers);
    writer.release();
  });

  it("a reused buffer leaves nothing of an earlier file in a later one", () => {
    const alone = unwrapOrThrow(writeDeltasToParquet(sample, todos));
    const big = Array.from({ length: 3000 }, (_, i) =>
      delta("INSERT", `row-${i}`, { title: "x".repeat(200), meta: { i } }),
    );
    unwrapOrThrow(writeDeltasToParquet(big, todos));
    expect(unwrapOrThrow(writeDeltasToParquet(sample, todos))).toEqual(alone);
  });
});
