/**
 * fast-check arbitraries for merge-state tests: HLCs across the whole unsigned 64-bit range (most
 * above 2^53, as every real stamp is), odd client ids, values of every column type (and values
 * that do not fit their column), row states and deltas over a small table.
 */
import {
  type ColumnValue,
  deltaId,
  type HLCTimestamp,
  type RowDelta,
  type RowState,
  setOwn,
  type TableSchema,
  toHLC,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";

/** A table with one column of each type, including a name that must not reach a prototype. */
export const mixed: TableSchema = {
  table: "things",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "rank", type: "number" },
    { name: "meta", type: "json" },
    { name: "__proto__", type: "string" },
  ],
};

/** Column names a state may hold: the schema's, `id`, and some the local schema does not know. */
export const columnNames = ["title", "done", "rank", "meta", "__proto__", "id", "later", "x y"];

const U64 = 2n ** 64n - 1n;
/** HLCs: today's (about 2^57), the edges of 2^53 and 2^63, and anything else up to 2^64 - 1. */
export const hlc: fc.Arbitrary<HLCTimestamp> = fc
  .oneof(
    fc.bigInt({ min: 2n ** 56n, max: 2n ** 58n }),
    fc.constantFrom(
      0n,
      1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      2n ** 63n - 1n,
      2n ** 63n,
      U64,
    ),
    fc.bigInt({ min: 0n, max: U64 }),
  )
  .map((n) => unwrapOrThrow(toHLC(n)));

/** Client ids: empty, quotes, emoji, any code points. */
export const clientId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", "a", "b", "z", "'\"; DROP TABLE x; --", "🙂", "\u0000nul"),
  fc.string({ unit: "binary", maxLength: 12 }),
);

const json: fc.Arbitrary<ColumnValue> = fc.jsonValue({ maxDepth: 2 }).map(
  // fast-check may give -0, which JSON (and so every replica) stores as 0.
  (v) => JSON.parse(JSON.stringify(v)) as ColumnValue,
);

/** Any value: a column may receive one that does not fit its type from a remote client. */
export const value: fc.Arbitrary<ColumnValue> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
  json,
);

/** Arbitrary row states over {@link columnNames}, with or without a DELETE stamp. */
export const rowState: fc.Arbitrary<RowState> = fc
  .record({
    cells: fc.dictionary(fc.constantFrom(...columnNames), fc.record({ value, hlc, clientId }), {
      maxKeys: columnNames.length,
    }),
    deleted: fc.option(fc.record({ hlc, clientId }), { nil: undefined }),
  })
  .map(({ cells, deleted }) => {
    const columns: Record<string, RowState["columns"][string]> = {};
    for (const [name, cell] of Object.entries(cells)) setOwn(columns, name, cell);
    return deleted ? { columns, deleted } : { columns };
  });

/** Deltas over a few rows of {@link mixed}: few clients and stamps, so ties and repeats happen. */
export const delta: fc.Arbitrary<RowDelta> = fc
  .record({
    op: fc.constantFrom("INSERT", "UPDATE", "UPDATE", "DELETE"),
    clientId: fc.constantFrom("a", "b", "🙂"),
    hlc: fc.constantFrom(2n ** 57n, 2n ** 57n + 1n, 2n ** 57n + 2n ** 16n, 2n ** 64n - 1n, 5n),
    rowId: fc.constantFrom("r1", "r2", "00000000-0000-4000-8000-000000000003"),
    cells: fc.dictionary(fc.constantFrom(...columnNames.filter((c) => c !== "id")), value, {
      minKeys: 1,
      maxKeys: 3,
    }),
  })
  .map((d) => {
    const hlcValue = unwrapOrThrow(toHLC(d.hlc));
    const columns =
      d.op === "DELETE" ? [] : Object.entries(d.cells).map(([column, v]) => ({ column, value: v }));
    const base = {
      clientId: d.clientId,
      hlc: hlcValue,
      table: mixed.table,
      rowId: d.rowId,
      columns,
    };
    return { ...base, op: d.op, deltaId: deltaId(base) };
  });
