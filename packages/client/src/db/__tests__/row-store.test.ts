import {
  applyToRowState,
  deltaId,
  EMPTY_ROW_STATE,
  Err,
  type HLCTimestamp,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
  ValidationError,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../local-db.js";
import type { LocalDBEngine } from "../open-engine.js";
import { applyDeltas, evictRow, readRow, readRowState } from "../row-store.js";
import { registerSchema } from "../schema-registry.js";
import { delta as arbDelta, mixed } from "./support/arbitraries.js";
import { ENGINES } from "./support/engines.js";
import { stateText } from "./support/state-text.js";

const T = 2n ** 57n;
function write(
  op: RowDelta["op"],
  rowId: string,
  clientId: string,
  hlc: bigint,
  cells: Record<string, RowDelta["columns"][number]["value"]> = {},
): RowDelta {
  const columns = Object.entries(cells).map(([column, value]) => ({ column, value }));
  const base = { clientId, hlc: hlc as HLCTimestamp, table: mixed.table, rowId, columns };
  return { ...base, op, deltaId: deltaId(base) };
}

async function open(engine: LocalDBEngine): Promise<LocalDB> {
  const db = unwrapOrThrow(await LocalDB.open({ engine, persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, mixed));
  return db;
}

const rows = (db: LocalDB) =>
  unwrapOrThrow(db.queryValues(`SELECT * FROM "${mixed.table}" ORDER BY id`));
const state = (db: LocalDB, rowId: string) =>
  stateText(unwrapOrThrow(readRowState(db, mixed.table, rowId)));

describe.each(ENGINES)("applying deltas through merge stamps on %s", (engine) => {
  it("replicas that apply the same deltas in any order, with repeats, hold the same rows and states as core's merge", async () => {
    const scenario = fc
      .array(arbDelta, { minLength: 1, maxLength: 20 })
      .chain((deltas) =>
        fc.tuple(
          fc.constant(deltas),
          fc.shuffledSubarray(deltas, { minLength: deltas.length, maxLength: deltas.length }),
          fc.subarray(deltas),
        ),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ([inOrder, shuffled, repeats]) => {
        const a = await open(engine);
        const b = await open(engine);
        for (const d of inOrder) unwrapOrThrow(applyDeltas(a, [d]));
        unwrapOrThrow(applyDeltas(b, [...shuffled, ...repeats]));
        expect(rows(b)).toEqual(rows(a));
        const folded = new Map<string, RowState>();
        for (const d of inOrder)
          folded.set(d.rowId, applyToRowState(folded.get(d.rowId) ?? EMPTY_ROW_STATE, d));
        for (const [rowId, expected] of folded) {
          expect(state(a, rowId)).toBe(stateText(expected));
          expect(state(b, rowId)).toBe(stateText(expected));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("two writes with the same (hlc, clientId) converge on the greater value, in either order", async () => {
    const first = write("UPDATE", "r1", "same", T, { title: "tie A", meta: { k: 1 } });
    const second = write("UPDATE", "r1", "same", T, { title: "tie B", meta: { k: 0 } });
    const a = await open(engine);
    const b = await open(engine);
    unwrapOrThrow(applyDeltas(a, [first, second]));
    unwrapOrThrow(applyDeltas(b, [second, first]));
    expect(rows(a)).toEqual(rows(b));
    expect(unwrapOrThrow(readRow(a, mixed.table, "r1"))).toMatchObject({
      title: "tie B",
      meta: { k: 1 },
    });
    expect(state(a, "r1")).toBe(state(b, "r1"));
  });

  it("the same tie under a newer DELETE keeps the same hidden value everywhere, and a later write resurrects the row alike", async () => {
    const deleted = write("DELETE", "r1", "z", T + 10n);
    const first = write("INSERT", "r1", "same", T, { title: "tie A", rank: 1 });
    const second = write("INSERT", "r1", "same", T, { title: "tie B", rank: 2 });
    const later = write("UPDATE", "r1", "b", T + 20n, { done: true });
    const a = await open(engine);
    const b = await open(engine);
    unwrapOrThrow(applyDeltas(a, [first, deleted, second]));
    unwrapOrThrow(applyDeltas(b, [second, first, deleted]));
    expect(rows(a)).toEqual([]);
    expect(state(a, "r1")).toBe(state(b, "r1"));
    expect(unwrapOrThrow(readRowState(a, mixed.table, "r1")).columns.title?.value).toBe("tie B");
    unwrapOrThrow(applyDeltas(a, [later]));
    unwrapOrThrow(applyDeltas(b, [later]));
    expect(rows(a)).toEqual(rows(b));
    // Only the column written after the DELETE is visible: id, title, done, rank, meta, __proto__.
    expect(rows(a)).toEqual([["r1", null, 1, null, null, null]]);
  });

  it("a wide table (its row read by a second statement) keeps the same merge state", async () => {
    const wide = {
      table: "wide",
      columns: Array.from({ length: 14 }, (_, i) => ({ name: `c${i}`, type: "number" as const })),
    };
    const db = unwrapOrThrow(await LocalDB.open({ engine }));
    unwrapOrThrow(registerSchema(db, wide));
    const cells = (from: number) =>
      Object.fromEntries(wide.columns.map((c, i) => [c.name, from + i]));
    const deltas = [
      { ...write("INSERT", "w", "a", T, cells(0)), table: "wide" },
      { ...write("DELETE", "w", "b", T + 1n), table: "wide" },
      { ...write("UPDATE", "w", "a", T + 2n, { c3: 33, c13: 1313 }), table: "wide" },
    ];
    let expected = EMPTY_ROW_STATE;
    for (const d of deltas) {
      unwrapOrThrow(applyDeltas(db, [d]));
      expected = applyToRowState(expected, d);
      expect(stateText(unwrapOrThrow(readRowState(db, "wide", "w")))).toBe(stateText(expected));
    }
    expect(unwrapOrThrow(readRow(db, "wide", "w"))).toMatchObject({ c0: null, c3: 33, c13: 1313 });
  });

  it("a value that does not fit its column is NULL in the row but kept for the merge", async () => {
    const db = await open(engine);
    unwrapOrThrow(applyDeltas(db, [write("INSERT", "r1", "a", T, { rank: "high", title: "x" })]));
    expect(unwrapOrThrow(readRow(db, mixed.table, "r1"))).toMatchObject({ rank: null, title: "x" });
    expect(unwrapOrThrow(readRowState(db, mixed.table, "r1")).columns.rank?.value).toBe("high");
  });

  it("a column synced before it was registered moves into the row when the schema grows", async () => {
    const db = await open(engine);
    unwrapOrThrow(applyDeltas(db, [write("INSERT", "r1", "a", T, { title: "x", later: [1, 2] })]));
    const before = state(db, "r1");
    unwrapOrThrow(
      registerSchema(db, {
        ...mixed,
        columns: [...mixed.columns, { name: "later", type: "json" }],
      }),
    );
    expect(unwrapOrThrow(readRow(db, mixed.table, "r1"))).toMatchObject({ later: [1, 2] });
    expect(state(db, "r1")).toBe(before);
    const extra = unwrapOrThrow(
      db.queryValues(`SELECT extra FROM "_lakesync_stamps:things" WHERE key = 'r1'`),
    );
    expect(extra).toEqual([[null]]);
  });

  it("a row deleted by plain SQL does not stall later deltas: the next write rebuilds it", async () => {
    const db = await open(engine);
    unwrapOrThrow(applyDeltas(db, [write("INSERT", "r1", "a", T, { title: "x", rank: 1 })]));
    unwrapOrThrow(db.exec(`DELETE FROM "${mixed.table}" WHERE id = 'r1'`));
    unwrapOrThrow(applyDeltas(db, [write("UPDATE", "r1", "b", T + 1n, { done: true })]));
    expect(unwrapOrThrow(readRow(db, mixed.table, "r1"))).toMatchObject({
      title: null,
      rank: null,
      done: true,
    });
  });

  it("an evicted row leaves no tombstone: an older write brings it back", async () => {
    const db = await open(engine);
    unwrapOrThrow(applyDeltas(db, [write("INSERT", "r1", "a", T + 5n, { title: "new" })]));
    unwrapOrThrow(evictRow(db, mixed.table, "r1"));
    expect(rows(db)).toEqual([]);
    expect(unwrapOrThrow(readRowState(db, mixed.table, "r1"))).toEqual(EMPTY_ROW_STATE);
    unwrapOrThrow(applyDeltas(db, [write("INSERT", "r1", "a", T, { title: "old" })]));
    expect(unwrapOrThrow(readRow(db, mixed.table, "r1"))).toMatchObject({ title: "old" });
  });

  it("a client interned by a rolled-back transaction is interned again, not left dangling", async () => {
    const db = await open(engine);
    const failed = db.transaction(() => {
      unwrapOrThrow(applyDeltas(db, [write("INSERT", "r1", "newcomer", T, { title: "x" })]));
      return Err(new ValidationError("give up"));
    });
    expect(failed.ok).toBe(false);
    unwrapOrThrow(applyDeltas(db, [write("INSERT", "r2", "newcomer", T, { title: "y" })]));
    expect(unwrapOrThrow(readRowState(db, mixed.table, "r2")).columns.title?.clientId).toBe(
      "newcomer",
    );
  });
});
