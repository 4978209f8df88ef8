import "@lakesync/parquet/node";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import {
  type HLCTimestamp,
  type LakeSyncError,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMIT_KEY_PROPERTY } from "../../commit/snapshot-summary.js";
import { bucketString } from "../../iceberg/bucket-transform.js";
import { currentSchema, defaultSpec } from "../../iceberg/metadata.js";
import { planScan } from "../../scan/plan-scan.js";
import { delta, RowIndex } from "../../testing.js";
import { icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncBatch } from "../lake-batch.js";
import { lakeTables } from "../layout.js";
import { HISTORY_SCHEMA, STATE_SCHEMA } from "../layout-schemas.js";
import { readLakeRowStates, readLakeTable } from "../read-lake.js";
import { readLakeHistory } from "../read-lake-history.js";
import { openTestLake, type TestLake } from "./support/lake.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "score", type: "number" },
    { name: "meta", type: "json" },
    { name: "nothing", type: "null" },
  ],
};
const noWait = { backoffMs: () => 0 };

let lake: TestLake;
beforeEach(async () => {
  lake = await openTestLake();
});
afterEach(() => lake.close());

const targetFor = (
  gatewayId = "gw",
  extra: Partial<Parameters<typeof icebergFlushTarget>[0]> = {},
) =>
  icebergFlushTarget({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: ["lake"],
    retry: noWait,
    description: gatewayId,
    ...extra,
  });
const read = (table = "todos") => ({
  catalogue: lake.catalogue,
  location: lake.location,
  namespace: ["lake"],
  table,
});
const snapshotsOf = async (name: string) =>
  unwrapOrThrow(await lake.catalogue.loadTable({ namespace: ["lake"], name })).metadata.snapshots ??
  [];
async function flush(batch: LakeSyncBatch, target = targetFor()) {
  const written = unwrapOrThrow(await target.write(batch));
  unwrapOrThrow(await written.commit());
  return written;
}

function todos(index: RowIndex, rows: number, hlc = 10n << 16n) {
  for (let i = 0; i < rows; i++)
    index.apply(
      delta("INSERT", "todos", `todo-${i}`, "phone", hlc + BigInt(i), [
        { column: "title", value: `task ${i}` },
        { column: "done", value: i % 2 === 0 },
        { column: "score", value: i / 4 },
        { column: "meta", value: { tags: ["a", i], note: null } },
        { column: "nothing", value: null },
      ]),
    );
}

describe("the lake layout a flush writes", () => {
  it("ns.T: row_id (id 1, required, identifier) then the typed columns, bucket[16](row_id)", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 3);
    await flush(index.take("todos") as LakeSyncBatch);
    const main = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "todos" }),
    );
    expect(currentSchema(main.metadata)).toEqual({
      type: "struct",
      "schema-id": 0,
      "identifier-field-ids": [1],
      fields: [
        { id: 1, name: "row_id", required: true, type: "string" },
        { id: 2, name: "title", required: false, type: "string", doc: "lakesync:string" },
        { id: 3, name: "done", required: false, type: "boolean", doc: "lakesync:boolean" },
        { id: 4, name: "score", required: false, type: "double", doc: "lakesync:number" },
        { id: 5, name: "meta", required: false, type: "string", doc: "lakesync:json" },
        { id: 6, name: "nothing", required: false, type: "string", doc: "lakesync:null" },
      ],
    });
    expect(defaultSpec(main.metadata).fields).toEqual([
      { "source-id": 1, "field-id": 1000, name: "row_id_bucket", transform: "bucket[16]" },
    ]);
    const state = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "_lakesync_state_todos" }),
    );
    expect(currentSchema(state.metadata).fields).toEqual(STATE_SCHEMA.fields);
    expect(defaultSpec(state.metadata).fields).toEqual(defaultSpec(main.metadata).fields);
    const history = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "_lakesync_history" }),
    );
    expect(currentSchema(history.metadata).fields).toEqual(HISTORY_SCHEMA.fields);
    expect(defaultSpec(history.metadata).fields).toEqual([]);
  });

  it("per bucket touched, one data file and one equality-delete file on row_id, in one snapshot", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 10);
    index.apply(delta("DELETE", "todos", "todo-3", "phone", 99n << 16n));
    const batch = index.take("todos") as LakeSyncBatch;
    const written = await flush(batch);
    const buckets = new Set(Array.from({ length: 10 }, (_, i) => bucketString(`todo-${i}`, 16)));
    const [snapshot] = await snapshotsOf("todos");
    expect(snapshot?.summary).toMatchObject({
      operation: "overwrite",
      [COMMIT_KEY_PROPERTY]: `gw:todos:${batch.range.min}-${batch.range.max}`,
      "lakesync.gateway-id": "gw",
      "lakesync.table": "todos",
      "lakesync.log-range": `${batch.range.min}-${batch.range.max}`,
      "added-delete-files": String(buckets.size),
      "added-equality-deletes": "10",
      "added-records": "9",
    });
    const main = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "todos" }),
    );
    const plan = unwrapOrThrow(await planScan(lake.location, main.metadata));
    const liveBuckets = new Set(
      [0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => bucketString(`todo-${i}`, 16)),
    );
    expect(plan.dataFiles).toHaveLength(liveBuckets.size);
    expect(plan.deleteFiles).toHaveLength(buckets.size);
    for (const file of [...plan.dataFiles, ...plan.deleteFiles]) {
      const key = unwrapOrThrow(lake.location.keyOf(file.dataFile.filePath));
      expect(key).toMatch(
        new RegExp(
          `^lake/todos/data/row_id_bucket=${file.dataFile.partition.row_id_bucket}/[0-9a-f-]{36}(-deletes)?\\.parquet$`,
        ),
      );
    }
    expect(plan.deleteFiles.every((f) => f.dataFile.equalityIds?.join() === "1")).toBe(true);
    // Written: every file of the three tables, all reported.
    const onDisk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? onDisk(join(dir, d.name)) : [relative(lake.root, join(dir, d.name))],
      );
    const dataFiles = onDisk(lake.root).filter((p) => p.includes("/data/"));
    expect([...written.paths].sort()).toEqual(dataFiles.sort());
    expect(written.tables).toEqual([
      "lake._lakesync_state_todos",
      "lake.todos",
      "lake._lakesync_history",
    ]);
  });

  it("rows that only die in a flush leave only deletes, and read as gone", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 2);
    await flush(index.take("todos") as LakeSyncBatch);
    index.apply(delta("DELETE", "todos", "todo-0", "tablet", 50n << 16n));
    index.apply(delta("DELETE", "todos", "todo-1", "tablet", 50n << 16n));
    await flush(index.take("todos") as LakeSyncBatch);
    expect(unwrapOrThrow(await readLakeTable(read())).rows.size).toBe(0);
    const states = unwrapOrThrow(await readLakeRowStates(read())).states;
    expect(states.get("todo-0")?.deleted).toEqual({ hlc: 50n << 16n, clientId: "tablet" });
    expect(states.get("todo-0")?.columns.title).toEqual({
      value: null,
      hlc: 10n << 16n,
      clientId: "phone",
    });
  });

  it("without history, only the table and its state are written", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 2);
    await flush(index.take("todos") as LakeSyncBatch, targetFor("gw", { history: false }));
    const tables = unwrapOrThrow(await lake.catalogue.listTables(["lake"])).map((t) => t.name);
    expect(tables.sort()).toEqual(["_lakesync_state_todos", "todos"]);
  });

  it("columns with values but no registered schema are added, typed from their values", async () => {
    const index = new RowIndex("gw");
    index.apply(
      delta("INSERT", "loose", "x", "c", 1n << 16n, [
        { column: "name", value: "n" },
        { column: "n", value: 1 },
        { column: "mixed", value: 1 },
        { column: "empty", value: null },
      ]),
    );
    index.apply(delta("INSERT", "loose", "y", "c", 2n << 16n, [{ column: "mixed", value: "one" }]));
    await flush(index.take("loose") as LakeSyncBatch);
    const table = unwrapOrThrow(await readLakeTable(read("loose")));
    expect(table.schema.columns).toEqual([
      { name: "name", type: "string" },
      { name: "n", type: "number" },
      { name: "mixed", type: "json" },
    ]);
    expect(table.rows.get("x")).toEqual({ name: "n", n: 1, mixed: 1 });
    expect(table.rows.get("y")).toEqual({ name: null, n: null, mixed: "one" });
    const states = unwrapOrThrow(await readLakeRowStates(read("loose"))).states;
    expect(states.get("x")?.columns.empty).toEqual({ value: null, hlc: 1n << 16n, clientId: "c" });
  });
});

describe("a flush refuses what it cannot store, and stores nothing then", () => {
  it("values that do not fit their column, and reserved names (core's validateTableSchema)", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    index.apply(
      delta("INSERT", "todos", "a", "c", 1n << 16n, [{ column: "score", value: "high" }]),
    );
    const misfit = await targetFor().write(index.take("todos") as LakeSyncBatch);
    expect(misfit.ok).toBe(false);
    expect((misfit as { error: LakeSyncError }).error).toMatchObject({ code: "FLUSH_FAILED" });
    expect(((misfit as { error: LakeSyncError }).error.cause as LakeSyncError).code).toBe(
      "SCHEMA_MISMATCH",
    );
    expect(await snapshotsOf("todos")).toEqual([]);
    for (const schema of [
      { table: "todos", columns: [{ name: "row_id", type: "string" as const }] },
      { table: "todos", columns: [{ name: "_lakesync_stamps", type: "string" as const }] },
    ]) {
      const bad = new RowIndex("gw", new Map([["todos", schema]]));
      bad.apply(delta("INSERT", "todos", "a", "c", 1n << 16n, [{ column: "x", value: "v" }]));
      const refused = await targetFor().write(bad.take("todos") as LakeSyncBatch);
      expect(refused.ok || (refused.error.cause as LakeSyncError).code).toBe("SCHEMA_MISMATCH");
    }
  });

  it("a column whose type changed refuses the flush; the Iceberg table keeps its schema", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 1);
    await flush(index.take("todos") as LakeSyncBatch);
    const retyped = { table: "todos", columns: [{ name: "title", type: "json" as const }] };
    const other = new RowIndex("gw", new Map([["todos", retyped]]));
    other.apply(delta("INSERT", "todos", "b", "c", 1n << 16n, [{ column: "title", value: [1] }]));
    const refused = await targetFor().write(other.take("todos") as LakeSyncBatch);
    expect(refused.ok || refused.error.message).toMatch(/title is json/);
    expect(await snapshotsOf("todos")).toHaveLength(1);
  });

  it("a batch mixing tables, an empty batch and a bad bucket count", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 1);
    const batch = index.take("todos") as LakeSyncBatch;
    expect((await targetFor().write({ ...batch, table: "other" })).ok).toBe(false);
    expect((await targetFor().write({ ...batch, entries: [] })).ok).toBe(false);
    expect((await targetFor("gw", { buckets: 0 }).write(batch)).ok).toBe(false);
  });
});

describe("reading the history", () => {
  it("filters by table and by the deltas' own HLC", async () => {
    const index = new RowIndex("gw", new Map([["todos", TODOS]]));
    todos(index, 4);
    index.apply(delta("INSERT", "notes", "n", "c", 12n << 16n, [{ column: "body", value: "b" }]));
    await flush(index.take("todos") as LakeSyncBatch);
    await flush(index.take("notes") as LakeSyncBatch);
    const { table: _, ...everyTable } = read();
    const all = unwrapOrThrow(await readLakeHistory(everyTable));
    expect(all.map((e) => e.delta.rowId)).toEqual(["todo-0", "todo-1", "todo-2", "todo-3", "n"]);
    const bounded = unwrapOrThrow(
      await readLakeHistory({
        ...read(),
        sinceHlc: ((10n << 16n) + 0n) as HLCTimestamp,
        untilHlc: ((10n << 16n) + 2n) as HLCTimestamp,
      }),
    );
    expect(bounded.map((e) => e.delta.rowId)).toEqual(["todo-1", "todo-2"]);
    expect(lakeTables(["lake"], "todos").history.name).toBe("_lakesync_history");
  });
});
