import "@lakesync/parquet/node";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentSchema } from "../../iceberg/metadata.js";
import { delta, RowIndex } from "../../testing.js";
import { icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncBatch } from "../lake-batch.js";
import { tableDirectory } from "../layout.js";
import { readLakeRowStates, readLakeTable } from "../read-lake.js";
import { openTestLake, type TestLake } from "./support/lake.js";

let lake: TestLake;
beforeEach(async () => {
  lake = await openTestLake();
});
afterEach(() => lake.close());

const flushAll = async (index: RowIndex, table: string) => {
  const target = icebergFlushTarget({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: ["lake"],
    retry: { backoffMs: () => 0 },
  });
  const written = unwrapOrThrow(await target.write(index.take(table) as LakeSyncBatch));
  unwrapOrThrow(await written.commit());
};
const read = (table: string, snapshotId?: number) => ({
  catalogue: lake.catalogue,
  location: lake.location,
  namespace: ["lake"],
  table,
  ...(snapshotId === undefined ? {} : { snapshotId }),
});

describe("schema growth", () => {
  const v1: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
  const v2: TableSchema = {
    table: "todos",
    columns: [...v1.columns, { name: "done", type: "boolean" }],
  };

  it("a column added to the TableSchema is a new Iceberg schema; old files read with null in it", async () => {
    const schemas = new Map([["todos", v1]]);
    const index = new RowIndex("gw", schemas);
    for (const rowId of ["old", "edited"])
      index.apply(
        delta("INSERT", "todos", rowId, "c", 1n << 16n, [{ column: "title", value: rowId }]),
      );
    await flushAll(index, "todos");
    schemas.set("todos", v2);
    index.apply(
      delta("UPDATE", "todos", "edited", "c", 2n << 16n, [{ column: "done", value: true }]),
    );
    index.apply(
      delta("INSERT", "todos", "new", "c", 2n << 16n, [
        { column: "title", value: "new" },
        { column: "done", value: false },
      ]),
    );
    await flushAll(index, "todos");
    const { metadata } = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "todos" }),
    );
    expect(metadata.schemas.map((s) => s["schema-id"])).toEqual([0, 1]);
    expect(metadata["current-schema-id"]).toBe(1);
    expect(currentSchema(metadata).fields.map((f) => [f.id, f.name])).toEqual([
      [1, "row_id"],
      [2, "title"],
      [3, "done"],
    ]);
    const now = unwrapOrThrow(await readLakeTable(read("todos")));
    expect(now.schema).toEqual(v2);
    expect(Object.fromEntries(now.rows)).toEqual({
      old: { title: "old", done: null },
      edited: { title: "edited", done: true },
      new: { title: "new", done: false },
    });
    // Time travel reads the first snapshot with the schema it was written with.
    const first = metadata.snapshots?.[0]?.["snapshot-id"] as number;
    const then = unwrapOrThrow(await readLakeTable(read("todos", first)));
    expect(then.schema).toEqual(v1);
    expect(Object.fromEntries(then.rows)).toEqual({
      old: { title: "old" },
      edited: { title: "edited" },
    });
    const states = unwrapOrThrow(await readLakeRowStates(read("todos"))).states;
    expect(states).toEqual(index.states.get("todos"));
  });
});

describe("hostile table and column names", () => {
  const table = "to\"do 'list' ü ✓";
  const schema: TableSchema = {
    table,
    columns: [
      { name: "first name", type: "string" },
      { name: 'ünï"cödé', type: "json" },
      { name: "a.b", type: "number" },
      { name: "'q'", type: "boolean" },
      { name: "emoji 😀", type: "string" },
      { name: "1st", type: "string" },
      { name: "constructor", type: "string" },
    ],
  };

  it("round-trip through the lake: values, stamps and tombstones", async () => {
    const index = new RowIndex("gw", new Map([[table, schema]]));
    index.apply(
      delta("INSERT", table, "row 'one' ✓", 'client "x"', 5n << 16n, [
        { column: "first name", value: "Ada" },
        { column: 'ünï"cödé', value: { "key with space": ["ü", 1] } },
        { column: "a.b", value: -0.5 },
        { column: "'q'", value: true },
        { column: "emoji 😀", value: "😀" },
        { column: "1st", value: "one" },
        { column: "constructor", value: "c" },
      ]),
    );
    index.apply(delta("INSERT", table, "gone", "c", 5n << 16n, [{ column: "1st", value: "x" }]));
    index.apply(delta("DELETE", table, "gone", "c", 6n << 16n));
    await flushAll(index, table);
    const read1 = unwrapOrThrow(await readLakeTable(read(table)));
    expect(read1.schema).toEqual(schema);
    expect(Object.fromEntries(read1.rows)).toEqual({
      "row 'one' ✓": {
        "first name": "Ada",
        'ünï"cödé': { "key with space": ["ü", 1] },
        "a.b": -0.5,
        "'q'": true,
        "emoji 😀": "😀",
        "1st": "one",
        constructor: "c",
      },
    });
    const states = unwrapOrThrow(await readLakeRowStates(read(table))).states;
    expect(states.get("row 'one' ✓")).toEqual(index.state(table, "row 'one' ✓"));
    expect(states.get("gone")).toEqual({
      columns: { "1st": { value: null, hlc: 5n << 16n, clientId: "c" } },
      deleted: { hlc: 6n << 16n, clientId: "c" },
    });
    const { metadata } = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: table }),
    );
    expect(metadata.location).toBe(`${lake.location.warehouse}/lake/${tableDirectory(table)}`);
    expect(tableDirectory(table)).toMatch(/^to_do_list-[0-9a-f]{16}$/);
  });
});
