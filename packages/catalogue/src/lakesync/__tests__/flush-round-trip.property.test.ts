import "@lakesync/parquet/node";
import {
  type ColumnValue,
  type DeltaOp,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { delta, expectedRow, RowIndex, withHiddenValuesNulled } from "../../testing.js";
import { icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncLogEntry } from "../lake-batch.js";
import { readLakeRowStates, readLakeTable } from "../read-lake.js";
import { readLakeHistory } from "../read-lake-history.js";
import { openTestLake } from "./support/lake.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "score", type: "number" },
    { name: "meta", type: "json" },
  ],
};
const NOTES: TableSchema = {
  table: "notes",
  columns: [
    { name: "body", type: "string" },
    { name: "tags", type: "json" },
  ],
};
const SCHEMAS = new Map([
  [TODOS.table, TODOS],
  [NOTES.table, NOTES],
]);

/** JSON text has no negative zero: values as JSON carries them (`-0` becomes `0`). */
const jsonColumnValue = fc
  .jsonValue({ maxDepth: 2 })
  .map((v) => JSON.parse(JSON.stringify(v)) as ColumnValue);

const columnValues: Record<string, fc.Arbitrary<ColumnValue>> = {
  title: fc.option(fc.string({ unit: "grapheme", maxLength: 8 }), { nil: null }),
  done: fc.option(fc.boolean(), { nil: null }),
  score: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
  meta: jsonColumnValue,
  body: fc.option(fc.string({ unit: "grapheme", maxLength: 8 }), { nil: null }),
  tags: jsonColumnValue,
};

const deltaStep = fc.record({
  kind: fc.constant("delta" as const),
  table: fc.constantFrom(TODOS.table, NOTES.table),
  rowId: fc.constantFrom("r0", "r1", "r2", "r3", "r4"),
  clientId: fc.constantFrom("a", "b", "c"),
  // Small clocks: equal HLCs from different clients and late old deltas are common.
  wall: fc.integer({ min: 1, max: 10 }),
  counter: fc.integer({ min: 0, max: 1 }),
  op: fc.constantFrom<DeltaOp>("INSERT", "UPDATE", "UPDATE", "DELETE"),
  mask: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  values: fc.record(columnValues),
});
const flushStep = fc.record({
  kind: fc.constant("flush" as const),
  table: fc.constantFrom(TODOS.table, NOTES.table),
  count: fc.integer({ min: 1, max: 8 }),
});
const history = fc.array(fc.oneof({ arbitrary: deltaStep, weight: 4 }, flushStep), {
  minLength: 1,
  maxLength: 30,
});

type DeltaStep = typeof deltaStep extends fc.Arbitrary<infer D> ? D : never;

function toDelta(step: DeltaStep) {
  const schema = SCHEMAS.get(step.table) as TableSchema;
  const hlc = (BigInt(step.wall) << 16n) | BigInt(step.counter);
  if (step.op === "DELETE") return delta("DELETE", step.table, step.rowId, step.clientId, hlc);
  const chosen =
    step.op === "INSERT" ? schema.columns : schema.columns.filter((_, i) => step.mask[i]);
  const columns = (chosen.length > 0 ? chosen : schema.columns.slice(0, 1)).map((c) => ({
    column: c.name,
    value: step.values[c.name as keyof typeof step.values] ?? null,
  }));
  return delta(step.op, step.table, step.rowId, step.clientId, hlc, columns);
}

describe("flushing random histories through the Iceberg target", () => {
  it("the lake always holds the flushed rows' live values, exact merge states and deltas", async () => {
    await fc.assert(
      fc.asyncProperty(history, async (steps) => {
        const lake = await openTestLake();
        try {
          const index = new RowIndex("gw", SCHEMAS);
          const target = icebergFlushTarget({
            catalogue: lake.catalogue,
            location: lake.location,
            namespace: ["gw"],
            buckets: 4,
            retry: { backoffMs: () => 0 },
          });
          const flushed = new Map<string, Map<string, RowState>>();
          const logged = new Map<string, LakeSyncLogEntry[]>();
          const flush = async (table: string, count?: number) => {
            const batch = index.take(table, count);
            if (!batch) return;
            const written = unwrapOrThrow(await target.write(batch));
            unwrapOrThrow(await written.commit());
            const rows = flushed.get(table) ?? new Map<string, RowState>();
            flushed.set(table, rows);
            for (const { delta: d } of batch.entries) {
              const state = index.state(table, d.rowId);
              if (state) rows.set(d.rowId, state);
            }
            logged.set(table, [...(logged.get(table) ?? []), ...batch.entries]);
            await check(table);
          };
          const check = async (table: string) => {
            const schema = SCHEMAS.get(table) as TableSchema;
            const expectedStates = new Map(
              [...(flushed.get(table) ?? [])].map(([id, s]) => [id, withHiddenValuesNulled(s)]),
            );
            const expectedRows = new Map(
              [...(flushed.get(table) ?? [])].flatMap(([id, s]) => {
                const row = expectedRow(s, schema);
                return row ? [[id, row] as const] : [];
              }),
            );
            const options = {
              catalogue: lake.catalogue,
              location: lake.location,
              namespace: ["gw"],
              table,
            };
            const read = unwrapOrThrow(await readLakeTable(options));
            expect(read.schema).toEqual(schema);
            expect(read.rows).toEqual(expectedRows);
            const states = unwrapOrThrow(await readLakeRowStates(options));
            expect(states.states).toEqual(expectedStates);
            const deltas = unwrapOrThrow(await readLakeHistory({ ...options }));
            expect(deltas).toEqual(logged.get(table));
          };
          for (const step of steps) {
            if (step.kind === "delta") index.apply(toDelta(step));
            else await flush(step.table, step.count);
          }
          for (const table of SCHEMAS.keys()) await flush(table);
        } finally {
          await lake.close();
        }
      }),
      { numRuns: Number(process.env.LAKESYNC_PBT_RUNS ?? 20) },
    );
  }, 300_000);
});
