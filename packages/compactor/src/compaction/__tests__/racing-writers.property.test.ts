import "@lakesync/parquet/node";
import {
  type Catalogue,
  readLakeRowStates,
  readLakeTable,
  type TableUpdate,
} from "@lakesync/catalogue";
import { delta, expectedRows, expectedStates, RowIndex } from "@lakesync/catalogue/testing";
import { type ColumnValue, type DeltaOp, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { Compactor } from "../compactor.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "score", type: "number" },
  ],
};
const schemas = new Map([["todos", TODOS]]);

const change = fc.record({
  rowId: fc.constantFrom("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"),
  clientId: fc.constantFrom("a", "b", "c"),
  // Small clocks: late deltas older than compacted values, and equal HLCs, are common.
  wall: fc.integer({ min: 1, max: 12 }),
  op: fc.constantFrom<DeltaOp>("INSERT", "UPDATE", "UPDATE", "DELETE"),
  title: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
  done: fc.boolean(),
  score: fc.integer({ min: -5, max: 5 }),
  mask: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
});
type Change = typeof change extends fc.Arbitrary<infer C> ? C : never;

const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("flush" as const),
      changes: fc.array(change, { minLength: 1, maxLength: 6 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("compact" as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("compact-during-flush" as const),
      changes: fc.array(change, { minLength: 1, maxLength: 6 }),
      // Before the state table's compaction commit (0) or between it and the table's (1).
      at: fc.constantFrom(0, 1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("flush-across-compaction" as const),
      changes: fc.array(change, { minLength: 1, maxLength: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("two-compactions" as const) }) },
);

function apply(index: RowIndex, c: Change): void {
  const hlc = BigInt(c.wall) << 16n;
  if (c.op === "DELETE") {
    index.apply(delta("DELETE", "todos", c.rowId, c.clientId, hlc));
    return;
  }
  const values: Record<string, ColumnValue> = { title: c.title, done: c.done, score: c.score };
  const chosen = TODOS.columns.filter((_, i) => c.op === "INSERT" || c.mask[i]);
  const columns = (chosen.length > 0 ? chosen : TODOS.columns.slice(0, 1)).map((col) => ({
    column: col.name,
    value: values[col.name] ?? null,
  }));
  index.apply(delta(c.op, "todos", c.rowId, c.clientId, hlc, columns));
}

/**
 * `catalogue`, except that before each compaction commit (a `replace` snapshot) the next
 * pending writer runs to completion: it commits first, and the compaction meets its snapshot.
 */
function racing(
  catalogue: Catalogue,
  pending: (() => Promise<void>)[],
  raced: { count: number },
): Catalogue {
  return new Proxy(catalogue, {
    get(target, property, receiver) {
      if (property === "commitTable")
        return async (...args: Parameters<Catalogue["commitTable"]>) => {
          const updates: readonly TableUpdate[] = args[2];
          const replace = updates.some(
            (u) => u.action === "add-snapshot" && u.snapshot.summary.operation === "replace",
          );
          const writer = replace ? pending.shift() : undefined;
          if (writer) {
            raced.count++;
            await writer();
          }
          return target.commitTable(...args);
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function check(lake: TestLake, index: RowIndex) {
  const table = unwrapOrThrow(
    await readLakeTable({ ...lake, namespace: ["lake"], table: "todos" }),
  );
  expect(table.rows).toEqual(expectedRows(index.states.get("todos"), TODOS));
  const states = unwrapOrThrow(
    await readLakeRowStates({ ...lake, namespace: ["lake"], table: "todos" }),
  );
  expect(states.states).toEqual(expectedStates(index.states.get("todos")));
}

describe("compaction racing flushes", () => {
  it("never loses an update nor resurrects a deleted row, whatever commits while a compaction runs", async () => {
    const raced = { count: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 8 }), async (steps) => {
        const lake = await openTestLake({ buckets: 2 });
        try {
          const index = new RowIndex("gw", schemas);
          const pending: (() => Promise<void>)[] = [];
          const compactor = new Compactor({
            catalogue: racing(lake.catalogue, pending, raced),
            location: lake.location,
            retry: { backoffMs: () => 0 },
            minSmallFiles: 1,
          });
          for (const s of steps) {
            if (s.kind === "flush") {
              for (const c of s.changes) apply(index, c);
              await lake.flush(index.take("todos"));
            } else if (s.kind === "compact") {
              if (index.states.size > 0) unwrapOrThrow(await compactor.compact(["lake"], "todos"));
            } else if (s.kind === "compact-during-flush") {
              if (index.states.size === 0) continue;
              for (const c of s.changes) apply(index, c);
              const batch = index.take("todos");
              if (s.at === 1) pending.push(async () => {});
              pending.push(() => lake.flush(batch));
              unwrapOrThrow(await compactor.compact(["lake"], "todos"));
              // Fewer compaction commits than writers (nothing to compact): run the rest now.
              while (pending.length > 0) await pending.shift()?.();
            } else if (s.kind === "flush-across-compaction") {
              if (index.states.size === 0) continue;
              // The flush writes its files, a compaction runs whole, then the flush commits.
              for (const c of s.changes) apply(index, c);
              const batch = index.take("todos");
              if (!batch) continue;
              const written = unwrapOrThrow(await lake.target.write(batch));
              unwrapOrThrow(await compactor.compact(["lake"], "todos"));
              unwrapOrThrow(await written.commit());
            } else {
              if (index.states.size === 0) continue;
              const plain = new Compactor({
                ...lake,
                retry: { backoffMs: () => 0 },
                minSmallFiles: 1,
              });
              const both = await Promise.all([
                plain.compact(["lake"], "todos"),
                plain.compact(["lake"], "todos"),
              ]);
              for (const done of both) unwrapOrThrow(done);
            }
            if (index.states.size > 0) await check(lake, index);
          }
        } finally {
          await lake.close();
        }
      }),
      {
        numRuns: Number(process.env.FC_RUNS ?? 12),
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
    // The interleavings did happen: flushes committed inside compactions.
    expect(raced.count).toBeGreaterThan(0);
  }, 240_000);
});
