import { type ColumnValue, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readParquetToDeltas, writeDeltasToParquet } from "../node.js";
import { delta, sample, todos } from "./fixtures.js";

const roundTrip = (deltas: RowDelta[], withSchema = true) =>
  unwrapOrThrow(
    readParquetToDeltas(
      unwrapOrThrow(writeDeltasToParquet(deltas, withSchema ? todos : undefined)),
    ),
  );

describe("delta files", () => {
  it("round-trip losslessly: nulls, unicode, nested JSON, the largest HLC, deletes", () => {
    expect(roundTrip(sample)).toEqual(sample);
  });

  it("keep an absent column apart from a null one", () => {
    const [back] = roundTrip([delta("UPDATE", "t1", { title: null })]);
    expect(back?.columns).toEqual([{ column: "title", value: null }]);
    expect(back?.columns.some((c) => c.column === "priority")).toBe(false);
  });

  it("round-trip without a schema, every column as JSON text", () => {
    expect(roundTrip(sample, false)).toEqual(sample);
  });

  it("round-trip arbitrary deltas (property)", () => {
    // JSON text has no negative zero, so values are taken as JSON would carry them (-0 -> 0).
    const value = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)));
    const arb = fc.array(
      fc.record({
        op: fc.constantFrom("INSERT" as const, "UPDATE" as const, "DELETE" as const),
        row: fc.string({ maxLength: 8 }),
        client: fc.string({ minLength: 1, maxLength: 8 }),
        hlc: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        cols: fc.dictionary(fc.constantFrom("a", "b", "c d", "é"), value, { maxKeys: 4 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (items) => {
        const deltas = items.map((i) =>
          delta(
            i.op,
            i.row,
            i.op === "DELETE" ? {} : (i.cols as Record<string, never>),
            i.hlc,
            i.client,
          ),
        );
        expect(roundTrip(deltas, false)).toEqual(deltas);
      }),
      { numRuns: 60 },
    );
  });

  it("round-trip typed columns across many row groups: unicode, -0, nulls, absent (property)", () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    const arb = fc.record({
      groupSize: fc.integer({ min: 1, max: 16 }),
      rows: fc.array(
        fc.record(
          {
            title: maybe(fc.string({ unit: "grapheme", maxLength: 12 })),
            priority: maybe(fc.double({ noNaN: true, noDefaultInfinity: true })),
            completed: maybe(fc.boolean()),
            meta: maybe(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)))),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 60 },
      ),
    });
    fc.assert(
      fc.property(arb, ({ groupSize, rows }) => {
        const deltas = rows.map((cols, i) =>
          delta("UPDATE", `row-${i % 7}`, cols as Record<string, never>, BigInt(i)),
        );
        const bytes = unwrapOrThrow(
          writeDeltasToParquet(deltas, todos, { rowGroupSize: groupSize }),
        );
        expect(unwrapOrThrow(readParquetToDeltas(bytes))).toEqual(deltas);
      }),
      { numRuns: 60 },
    );
  });

  it("round-trip a file larger than one read batch (1024 rows), with unicode and nulls", () => {
    const words = ["", "ascii", "ünïcödé", "🥛 milk", "\ufeffbom", "日本語テキスト"];
    const deltas = Array.from({ length: 3_000 }, (_, i) => {
      const cols: Record<string, ColumnValue> = { completed: i % 3 === 0 ? null : i % 2 === 0 };
      if (i % 5 !== 0) cols.title = i % 7 === 0 ? null : `${words[i % words.length]} ${i}`;
      if (i % 4 === 0) cols.priority = i % 8 === 0 ? -0 : i / 3;
      if (i % 6 === 0) cols.meta = { i, word: words[i % words.length] ?? null };
      return delta(i % 9 === 0 ? "INSERT" : "UPDATE", `row-${i % 101}`, cols, BigInt(i) << 16n);
    });
    expect(roundTrip(deltas)).toEqual(deltas);
  });

  it("an empty batch is a valid, empty file", () => {
    expect(roundTrip([])).toEqual([]);
  });

  it("a value that does not fit the schema is a SchemaError", () => {
    const result = writeDeltasToParquet([delta("INSERT", "t1", { priority: "high" })], todos);
    expect(!result.ok && result.error.code).toBe("SCHEMA_MISMATCH");
    expect(!result.ok && result.error.message).toContain("todos.priority is declared number");
  });

  it("columns outside the schema, other tables and reserved names are refused", () => {
    expect(writeDeltasToParquet([delta("INSERT", "t1", { secret: 1 })], todos).ok).toBe(false);
    expect(writeDeltasToParquet([{ ...delta("INSERT", "t1", {}), table: "notes" }], todos).ok).toBe(
      false,
    );
    expect(writeDeltasToParquet([delta("INSERT", "t1", { hlc: 1 })]).ok).toBe(false);
  });
});
