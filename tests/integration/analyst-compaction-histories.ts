/**
 * Random histories for the analyst-across-compactions properties: deltas over two tables with
 * few rows, clients and clocks (ties, late deltas, deletes and resurrections are common),
 * interleaved with flushes, compactions, snapshot expiry and checks; and what a client replica
 * fed deltas shows, in the shape the properties compare.
 */
import {
  applyToRowState,
  deltaId,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
} from "@lakesync/core";
import fc from "fast-check";

/** The synced tables of the histories. */
export const TABLES = ["todos", "notes"] as const;
/** The columns of both tables. */
export const COLUMNS = ["title", "done", "n"] as const;

/** A row as the properties compare it: every column, null where absent. */
export type Rows = Record<string, Record<string, unknown>>;

/** `rows` (row id → row) with every column, sorted by row id. */
export function normalise(
  rows: Iterable<readonly [string, Readonly<Record<string, unknown>>]>,
): Rows {
  const out: Rows = {};
  for (const [id, row] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1)))
    out[id] = Object.fromEntries(COLUMNS.map((c) => [c, row[c] ?? null]));
  return out;
}

/** Merge states of a replica fed `deltas` of `table` (core's merge; order does not matter). */
export function replicaStates(deltas: readonly RowDelta[], table: string): Map<string, RowState> {
  const states = new Map<string, RowState>();
  for (const d of deltas)
    if (d.table === table)
      states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
  return states;
}

/** What a replica fed `deltas` shows of `table`. */
export function replicaRows(deltas: readonly RowDelta[], table: string): Rows {
  const rows: [string, Row][] = [];
  for (const [id, state] of replicaStates(deltas, table)) {
    const row = materialiseRow(state);
    if (row) rows.push([id, row]);
  }
  return normalise(rows);
}

/** The HLC of wall `wall` (few walls, one counter: equal HLCs across clients are common). */
export const hlcOf = (wall: number) => ((BigInt(wall) << 16n) + 7n) as HLCTimestamp;

const deltaStep = fc.record({
  kind: fc.constant("delta" as const),
  op: fc.constantFrom("INSERT" as const, "UPDATE" as const, "DELETE" as const),
  table: fc.constantFrom(...TABLES),
  row: fc.integer({ min: 0, max: 4 }),
  client: fc.constantFrom("a", "b", "c"),
  wall: fc.integer({ min: 1, max: 12 }),
  title: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
  done: fc.option(fc.boolean(), { nil: undefined }),
  n: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
});
export type DeltaStep = typeof deltaStep extends fc.Arbitrary<infer T> ? T : never;

/** One step of a random history. */
export const step = fc.oneof(
  { weight: 6, arbitrary: deltaStep },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("flush" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("compact" as const),
      table: fc.constantFrom(...TABLES, "namespace"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("expire" as const),
      retainLast: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("check" as const) }) },
);
export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** How the compactor runs: small targets, so files are split and rewritten often. */
export const compactionSettings = fc.record({
  targetFileBytes: fc.constantFrom(1024, 4096, 64 * 1024),
  minSmallFiles: fc.integer({ min: 1, max: 2 }),
});

/** A step as a delta: an UPDATE without columns becomes a DELETE. */
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
  const table = s.table;
  const rowId = `r${s.row}`;
  const hlc = hlcOf(s.wall);
  const clientId = s.client;
  return {
    op,
    table,
    rowId,
    clientId,
    hlc,
    columns,
    deltaId: deltaId({ clientId, hlc, table, rowId, columns }),
  };
}
