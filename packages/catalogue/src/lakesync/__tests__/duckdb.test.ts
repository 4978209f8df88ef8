import "@lakesync/parquet/node";
import { DuckDBInstance } from "@duckdb/node-api";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planScan } from "../../scan/plan-scan.js";
import { delta, RowIndex } from "../../testing.js";
import { icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncBatch } from "../lake-batch.js";
import { readLakeTable } from "../read-lake.js";
import { openTestLake, type TestLake } from "./support/lake.js";

let lake: TestLake;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;

const v1: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "score", type: "number" },
    { name: "meta", type: "json" },
  ],
};
const v2: TableSchema = { ...v1, columns: [...v1.columns, { name: "done", type: "boolean" }] };

beforeAll(async () => {
  lake = await openTestLake();
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  duck = await instance.connect();
  // Three flushes: inserts, then updates and deletes, then a grown schema.
  const schemas = new Map([["todos", v1]]);
  const index = new RowIndex("gw", schemas);
  const target = icebergFlushTarget({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: ["lake"],
    buckets: 4,
    retry: { backoffMs: () => 0 },
  });
  const flush = async () =>
    unwrapOrThrow(
      await unwrapOrThrow(await target.write(index.take("todos") as LakeSyncBatch)).commit(),
    );
  for (let i = 0; i < 12; i++)
    index.apply(
      delta("INSERT", "todos", `t${i}`, "c", (1n << 16n) + BigInt(i), [
        { column: "title", value: `task ${i}` },
        { column: "score", value: i * 1.25 },
        { column: "meta", value: { i } },
      ]),
    );
  await flush();
  index.apply(delta("UPDATE", "todos", "t1", "c", 2n << 16n, [{ column: "title", value: "one" }]));
  index.apply(delta("DELETE", "todos", "t2", "c", 2n << 16n));
  await flush();
  schemas.set("todos", v2);
  index.apply(delta("UPDATE", "todos", "t3", "c", 3n << 16n, [{ column: "done", value: true }]));
  index.apply(delta("DELETE", "todos", "t4", "c", 3n << 16n));
  await flush();
});
afterAll(async () => {
  duck.closeSync();
  await lake.close();
});

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

describe("DuckDB reads the data files the manifests list", () => {
  it("minus the equality deletes with a higher sequence number: the same rows as readLakeTable", async () => {
    const { metadata } = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "todos" }),
    );
    const plan = unwrapOrThrow(await planScan(lake.location, metadata));
    const files = (list: typeof plan.dataFiles) =>
      list
        .map((f) => `(${quote(lake.pathOf(f.dataFile.filePath))}, ${f.sequenceNumber})`)
        .join(", ");
    const paths = (list: typeof plan.dataFiles) =>
      `[${list.map((f) => quote(lake.pathOf(f.dataFile.filePath))).join(", ")}]`;
    const sql = `
      WITH data_files(file, seq) AS (VALUES ${files(plan.dataFiles)}),
           delete_files(file, seq) AS (VALUES ${files(plan.deleteFiles)}),
           data AS (
             SELECT d.* EXCLUDE (filename), f.seq
             FROM read_parquet(${paths(plan.dataFiles)}, filename = true, union_by_name = true) d
             JOIN data_files f ON d.filename = f.file),
           deletes AS (
             SELECT x.row_id, f.seq
             FROM read_parquet(${paths(plan.deleteFiles)}, filename = true) x
             JOIN delete_files f ON x.filename = f.file)
      SELECT row_id, title, score, meta, done FROM data
      WHERE NOT EXISTS (SELECT 1 FROM deletes WHERE deletes.row_id = data.row_id AND deletes.seq > data.seq)
      ORDER BY row_id`;
    const rows = (await duck.runAndReadAll(sql)).getRowObjectsJS();
    const lakeRows = unwrapOrThrow(
      await readLakeTable({
        catalogue: lake.catalogue,
        location: lake.location,
        namespace: ["lake"],
        table: "todos",
      }),
    ).rows;
    const expected = [...lakeRows]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([rowId, row]) => ({
        row_id: rowId,
        ...row,
        meta: row.meta === null ? null : JSON.stringify(row.meta),
      }));
    expect(rows).toEqual(expected);
    expect(rows.map((r) => r.row_id)).not.toContain("t2");
    expect(rows.find((r) => r.row_id === "t3")).toMatchObject({ done: true });
    expect(rows.find((r) => r.row_id === "t0")).toMatchObject({ done: null, title: "task 0" });
  });

  it("parquet_schema shows the Iceberg field ids of every column", async () => {
    const { metadata } = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: "todos" }),
    );
    const plan = unwrapOrThrow(await planScan(lake.location, metadata));
    const newest = plan.dataFiles.find((f) => f.sequenceNumber === 3);
    const deletes = plan.deleteFiles[0];
    const idsOf = async (uri: string) =>
      (
        await duck.runAndReadAll(
          `SELECT name, field_id::INTEGER AS id FROM parquet_schema(${quote(lake.pathOf(uri))}) WHERE field_id IS NOT NULL ORDER BY id`,
        )
      ).getRowObjectsJS();
    expect(await idsOf(newest?.dataFile.filePath ?? "")).toEqual([
      { name: "row_id", id: 1 },
      { name: "title", id: 2 },
      { name: "score", id: 3 },
      { name: "meta", id: 4 },
      { name: "done", id: 5 },
    ]);
    expect(await idsOf(deletes?.dataFile.filePath ?? "")).toEqual([{ name: "row_id", id: 1 }]);
  });
});
