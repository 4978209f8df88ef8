/**
 * Random histories for the property tests: deltas over two tables with few rows, clients and
 * clocks (so equal HLCs, tie-breaks, late deltas, deletes and resurrections are common), and
 * flushes of a prefix of one table's buffer; and what a client replica fed deltas shows.
 */
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import fc from "fast-check";
import { delta } from "./mini-gateway.js";

export const SCHEMA: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "n", type: "number" },
  ],
};
export const schemas = new Map([
  ["todos", SCHEMA],
  ["notes", { ...SCHEMA, table: "notes" }],
]);

/** One step of a random history: a delta, or a flush of a prefix of one table's buffer. */
export const step = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("delta" as const),
      op: fc.constantFrom("INSERT", "UPDATE", "DELETE") as fc.Arbitrary<
        "INSERT" | "UPDATE" | "DELETE"
      >,
      table: fc.constantFrom("todos", "notes"),
      row: fc.integer({ min: 0, max: 5 }),
      client: fc.constantFrom("a", "b", "c"),
      // Few distinct clocks: equal HLCs (tie-break by client id) and late deltas happen often.
      wall: fc.integer({ min: 1, max: 12 }),
      title: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
      done: fc.option(fc.boolean(), { nil: undefined }),
      n: fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("flush" as const),
      table: fc.constantFrom("todos", "notes"),
      count: fc.integer({ min: 1, max: 8 }),
    }),
  },
);

export interface DeltaStep {
  readonly op: "INSERT" | "UPDATE" | "DELETE";
  readonly table: string;
  readonly row: number;
  readonly client: string;
  readonly wall: number;
  readonly title?: string | undefined;
  readonly done?: boolean | undefined;
  readonly n?: number | undefined;
}

/** A step as a delta: an UPDATE without columns becomes a DELETE (an UPDATE changes something). */
export function toDelta(s: DeltaStep): RowDelta {
  const columns =
    s.op === "DELETE"
      ? []
      : [
          ...(s.title === undefined && s.op === "INSERT" ? [{ column: "title", value: "" }] : []),
          ...(s.title === undefined ? [] : [{ column: "title", value: s.title }]),
          ...(s.done === undefined ? [] : [{ column: "done", value: s.done }]),
          ...(s.n === undefined ? [] : [{ column: "n", value: s.n }]),
        ];
  const op = s.op === "UPDATE" && columns.length === 0 ? "DELETE" : s.op;
  return delta(op, s.table, `r${s.row}`, s.client, (BigInt(s.wall) << 16n) + 7n, columns);
}

/** What a fully synced client replica shows: every delta merged, in whatever order. */
export function replicaRows(deltas: readonly RowDelta[], table: string): Record<string, Row> {
  const states = new Map<string, RowState>();
  for (const d of deltas)
    if (d.table === table)
      states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
  const out: Record<string, Row> = {};
  for (const [rowId, state] of [...states].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const row = materialiseRow(state);
    if (row)
      out[rowId] = Object.fromEntries(SCHEMA.columns.map((c) => [c.name, row[c.name] ?? null]));
  }
  return out;
}
