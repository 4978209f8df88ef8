import "@lakesync/parquet/node";
import { lakeTables, planScan, readLakeRowStates, readLakeTable } from "@lakesync/catalogue";
import { delta, expectedRows, expectedStates, RowIndex } from "@lakesync/catalogue/testing";
import { type RowState, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { Compactor } from "../compactor.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "score", type: "number" },
    { name: "meta", type: "json" },
  ],
};
const schemas = new Map([["todos", TODOS]]);
const at = (wall: number, counter = 0) => (BigInt(wall) << 16n) | BigInt(counter);

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

const read = async () => ({
  rows: unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "todos" })).rows,
  states: unwrapOrThrow(await readLakeRowStates({ ...lake, namespace: ["lake"], table: "todos" }))
    .states,
});

async function files(name = "todos") {
  const table = { namespace: ["lake"], name };
  const { metadata } = unwrapOrThrow(await lake.catalogue.loadTable(table));
  const plan = unwrapOrThrow(await planScan(lake.location, metadata));
  return {
    data: plan.dataFiles.map((f) => f.dataFile.filePath).sort(),
    deletes: plan.deleteFiles.length,
    snapshot: plan.snapshot,
  };
}

/** Flushes a history: 40 inserts, then edits, deletes and a resurrection, over several flushes. */
async function flushHistory(index: RowIndex) {
  for (let i = 0; i < 40; i++)
    index.apply(
      delta("INSERT", "todos", `t${i}`, "phone", at(10, i), [
        { column: "title", value: `task ${i}` },
        { column: "done", value: false },
        { column: "score", value: i / 4 },
        { column: "meta", value: { i, tags: ["a"] } },
      ]),
    );
  await lake.flush(index.take("todos", 25));
  await lake.flush(index.take("todos"));
  for (let i = 0; i < 40; i += 3)
    index.apply(
      delta("UPDATE", "todos", `t${i}`, "laptop", at(20, i), [{ column: "done", value: true }]),
    );
  await lake.flush(index.take("todos"));
  for (let i = 1; i < 40; i += 5)
    index.apply(delta("DELETE", "todos", `t${i}`, "laptop", at(30, i)));
  await lake.flush(index.take("todos"));
  index.apply(
    delta("UPDATE", "todos", "t1", "phone", at(40), [{ column: "title", value: "back again" }]),
  );
  await lake.flush(index.take("todos"));
}

describe("Compactor", () => {
  it("folds data files and equality deletes into base files without deletes, rows and merge states unchanged", async () => {
    lake = await openTestLake({ buckets: 4 });
    const index = new RowIndex("gw", schemas);
    await flushHistory(index);
    const before = await read();
    expect(before.rows).toEqual(expectedRows(index.states.get("todos"), TODOS));
    const beforeFiles = await files();
    expect(beforeFiles.deletes).toBeGreaterThan(0);

    const compactor = new Compactor({ ...lake, retry: { backoffMs: () => 0 } });
    const done = unwrapOrThrow(await compactor.compact(["lake"], "todos"));
    expect(done.main.snapshotId).toBeDefined();
    expect(done.state.snapshotId).toBeDefined();
    expect(done.main.dataFilesRewritten).toBe(beforeFiles.data.length);

    const after = await read();
    expect(after.rows).toEqual(before.rows);
    expect(after.states).toEqual(before.states);
    expect(after.states).toEqual(expectedStates(index.states.get("todos")));
    for (const name of ["todos", "_lakesync_state_todos"]) {
      const now = await files(name);
      expect(now.deletes).toBe(0);
      expect(now.data.length).toBeLessThanOrEqual(4);
      expect(now.snapshot?.summary.operation).toBe("replace");
    }
    // Nothing left to do: a second run commits nothing.
    const again = unwrapOrThrow(await compactor.compact(["lake"], "todos"));
    expect(again.main.snapshotId).toBeUndefined();
    expect(again.state.snapshotId).toBeUndefined();
  });

  it("a late delta with an older HLC still loses to a value compacted before it arrived", async () => {
    lake = await openTestLake({ buckets: 2 });
    const index = new RowIndex("gw", schemas);
    index.apply(
      delta("INSERT", "todos", "t1", "phone", at(50), [
        { column: "title", value: "newer" },
        { column: "done", value: false },
      ]),
    );
    await lake.flush(index.take("todos"));
    index.apply(delta("UPDATE", "todos", "t1", "phone", at(60), [{ column: "score", value: 1 }]));
    await lake.flush(index.take("todos"));
    unwrapOrThrow(await new Compactor(lake).compact(["lake"], "todos"));

    // A gateway restored from the compacted lake: its row index answers from the lake's states.
    const restored = new RowIndex("gw", schemas, 2_000_000n << 16n);
    restored.states.set("todos", new Map((await read()).states));
    // The late delta: an old title (loses) and a first value of `meta` (wins), so it is logged.
    expect(
      restored.apply(
        delta("UPDATE", "todos", "t1", "tablet", at(5), [
          { column: "title", value: "stale" },
          { column: "meta", value: { late: true } },
        ]),
      ),
    ).toBe(true);
    await lake.flush(restored.take("todos"));
    const after = await read();
    expect(after.rows.get("t1")).toEqual({
      title: "newer",
      done: false,
      score: 1,
      meta: { late: true },
    });
    const state = after.states.get("t1") as RowState;
    expect(state.columns.title).toEqual({ value: "newer", hlc: at(50), clientId: "phone" });
    expect(state.columns.meta?.clientId).toBe("tablet");
  });

  it("a row deleted before compaction is not resurrected by an older write", async () => {
    lake = await openTestLake({ buckets: 2 });
    const index = new RowIndex("gw", schemas);
    index.apply(
      delta("INSERT", "todos", "t1", "phone", at(10), [{ column: "title", value: "milk" }]),
    );
    index.apply(
      delta("INSERT", "todos", "t2", "phone", at(10), [{ column: "title", value: "bread" }]),
    );
    await lake.flush(index.take("todos"));
    index.apply(delta("DELETE", "todos", "t1", "laptop", at(30)));
    await lake.flush(index.take("todos"));
    unwrapOrThrow(await new Compactor(lake).compact(["lake"], "todos"));
    expect((await files()).deletes).toBe(0);

    const restored = new RowIndex("gw", schemas, 2_000_000n << 16n);
    restored.states.set("todos", new Map((await read()).states));
    // Written offline before the delete, arriving after it (and after the compaction).
    expect(
      restored.apply(
        delta("UPDATE", "todos", "t1", "tablet", at(20), [
          { column: "title", value: "oat milk" },
          { column: "done", value: true },
        ]),
      ),
    ).toBe(true);
    await lake.flush(restored.take("todos"));
    const after = await read();
    expect(after.rows.has("t1")).toBe(false);
    expect(after.rows.get("t2")).toMatchObject({ title: "bread" });
    expect(after.states.get("t1")?.deleted).toEqual({ hlc: at(30), clientId: "laptop" });
    // A write newer than the delete still resurrects it (only the columns it wrote).
    restored.apply(
      delta("UPDATE", "todos", "t1", "tablet", at(40), [{ column: "done", value: false }]),
    );
    await lake.flush(restored.take("todos"));
    expect((await read()).rows.get("t1")).toEqual({
      title: null,
      done: false,
      score: null,
      meta: null,
    });
    expect(lakeTables(["lake"], "todos").state.name).toBe("_lakesync_state_todos");
  });
});
