import { rmSync } from "node:fs";
import { readLakeTable, type TableMetadata } from "@lakesync/catalogue";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { delta, MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { DuckDBClient } from "../../node.js";

const v1: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "first name", type: "string" },
    { name: "score", type: "number" },
    { name: "meta", type: "json" },
  ],
};
const v2: TableSchema = { ...v1, columns: [...v1.columns, { name: "done", type: "boolean" }] };

let lake: TestLake;
let metadata: TableMetadata;
const schemas = new Map([["todos", v1]]);

beforeAll(async () => {
  lake = await openTestLake();
  const gw = new MiniGateway("gw", lake, schemas);
  for (let i = 0; i < 12; i++)
    gw.apply(
      delta("INSERT", "todos", `t${i}`, "c", (1n << 40n) + BigInt(i), [
        { column: "title", value: `task ${i}` },
        { column: "first name", value: i % 2 ? "ada" : "bob" },
        { column: "score", value: i * 1.25 },
        { column: "meta", value: { i } },
      ]),
    );
  await gw.flushAll();
  gw.apply(delta("UPDATE", "todos", "t1", "c", 2n << 40n, [{ column: "title", value: "one" }]));
  gw.apply(delta("DELETE", "todos", "t2", "c", 2n << 40n));
  await gw.flushAll();
  schemas.set("todos", v2);
  gw.apply(delta("UPDATE", "todos", "t3", "c", 3n << 40n, [{ column: "done", value: true }]));
  gw.apply(delta("DELETE", "todos", "t4", "c", 3n << 40n));
  await gw.flushAll();
  metadata = unwrapOrThrow(
    await lake.catalogue.loadTable({ namespace: ["gw"], name: "todos" }),
  ).metadata;
});
afterAll(async () => {
  await lake.close();
});

const open = async (extra: Partial<Parameters<typeof DuckDBClient.open>[0]> = {}) =>
  unwrapOrThrow(
    await DuckDBClient.open({
      catalogue: lake.catalogue,
      location: lake.location,
      namespace: ["gw"],
      ...extra,
    }),
  );

describe("DuckDBClient", () => {
  it("shows each table as its live rows: the same rows as readLakeTable, with real column names", async () => {
    const client = await open();
    const result = unwrapOrThrow(await client.query(`SELECT * FROM todos ORDER BY row_id`));
    const expected = unwrapOrThrow(
      await readLakeTable({
        catalogue: lake.catalogue,
        location: lake.location,
        namespace: ["gw"],
        table: "todos",
      }),
    );
    const rows = [...expected.rows]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([rowId, row]) => ({
        row_id: rowId,
        ...row,
        meta: row.meta === null ? null : JSON.stringify(row.meta),
      }));
    expect(result.rows).toEqual(rows);
    expect(result.columns.map((c) => c.name)).toEqual([
      "row_id",
      "title",
      "first name",
      "score",
      "meta",
      "done",
    ]);
    expect(result.rows.map((r) => r.row_id)).not.toContain("t2");
    expect(result.rows.find((r) => r.row_id === "t1")).toMatchObject({
      title: "one",
      "first name": "ada",
    });
    await client.close();
  });

  it("hides LakeSync's own tables unless asked", async () => {
    const hidden = await open();
    expect(hidden.tables.map((t) => t.name)).toEqual(["todos"]);
    await hidden.close();
    const shown = await open({ includeInternal: true });
    expect(shown.tables.map((t) => t.name)).toEqual([
      "_lakesync_history",
      "_lakesync_state_todos",
      "todos",
    ]);
    const history = unwrapOrThrow(await shown.query("SELECT count(*) AS n FROM _lakesync_history"));
    expect(history.rows).toEqual([{ n: 16 }]);
    await shown.close();
  });

  it("reads an older snapshot by id and by time, with the schema of its time", async () => {
    const [first, second] = metadata.snapshots ?? [];
    const byId = await open({ at: { snapshotId: first?.["snapshot-id"] ?? 0 } });
    const rows = unwrapOrThrow(await byId.query("SELECT * FROM todos ORDER BY row_id"));
    expect(rows.rows).toHaveLength(12);
    expect(rows.columns.map((c) => c.name)).not.toContain("done");
    await byId.close();
    const byTime = await open({ at: { asOfTimestampMs: (second?.["timestamp-ms"] ?? 0) + 1 } });
    const count = unwrapOrThrow(
      await byTime.query(
        "SELECT count(*) AS n, max(title) FILTER (WHERE row_id = 't1') AS t1 FROM todos",
      ),
    );
    expect(count.rows).toEqual([{ n: 11, t1: "one" }]);
    await byTime.close();
  });

  it("a moment before the table's first commit shows it empty", async () => {
    const client = await open({ at: { asOfTimestampMs: Date.UTC(2020, 0, 1) } });
    expect(unwrapOrThrow(await client.query("SELECT count(*) AS n FROM todos")).rows).toEqual([
      { n: 0 },
    ]);
    await client.close();
  });

  it("normalises integers (safe ones to numbers, others stay bigints), dates and nested values", async () => {
    const client = await open();
    const result = unwrapOrThrow(
      await client.query(
        "SELECT 5::BIGINT AS small, 9007199254740993::BIGINT AS big, DATE '2026-12-01' AS d, [1, 2]::BIGINT[] AS l, {'a': 1::HUGEINT} AS s",
      ),
    );
    expect(result.rows).toEqual([
      {
        small: 5,
        big: 9007199254740993n,
        d: new Date(Date.UTC(2026, 11, 1)),
        l: [1, 2],
        s: { a: 1 },
      },
    ]);
    await client.close();
  });

  it("answers Arrow tables", async () => {
    const client = await open();
    const table = unwrapOrThrow(
      await client.queryArrow("SELECT row_id, score FROM todos ORDER BY row_id"),
    );
    expect(table.numRows).toBe(10);
    expect(table.getChild("score")?.get(0)).toBe(0);
    await client.close();
  });

  it("SQL errors, missing tables and bad snapshot ids are Errs with clear codes", async () => {
    const client = await open();
    const bad = await client.query("SELEKT 1");
    expect(bad.ok ? undefined : bad.error.code).toBe("QUERY_FAILED");
    const missing = await client.query("SELECT * FROM nope");
    expect(missing.ok ? undefined : missing.error).toMatchObject({ code: "NO_SUCH_TABLE" });
    await client.close();
    const unknown = await DuckDBClient.open({
      catalogue: lake.catalogue,
      location: lake.location,
      namespace: ["gw"],
      at: { snapshotId: 42 },
    });
    expect(unknown.ok ? undefined : unknown.error.code).toBe("INVALID_INPUT");
    expect((await client.query("SELECT 1")).ok).toBe(false);
  });

  it("rows loaded from memory are tables like the views", async () => {
    const client = await open();
    unwrapOrThrow(
      await client.registerRows("todos", v2, [
        ["x", { title: "only", "first name": null, score: 1, meta: { a: [1] }, done: false }],
      ]),
    );
    const rows = unwrapOrThrow(await client.query("SELECT * FROM todos")).rows;
    expect(rows).toEqual([
      { row_id: "x", title: "only", "first name": null, score: 1, meta: '{"a":[1]}', done: false },
    ]);
    await client.close();
  });

  it("refresh registers every view again, over its earlier view or rows loaded in its place", async () => {
    const client = await open();
    const count = async () =>
      unwrapOrThrow(await client.query("SELECT count(*) AS n FROM todos")).rows[0]?.n;
    const live = await count();
    unwrapOrThrow(await client.refresh());
    expect(await count()).toBe(live);
    const only = [["x", { title: "only" }]] as const;
    unwrapOrThrow(await client.registerRows("todos", v2, only));
    unwrapOrThrow(await client.registerRows("todos", v2, only));
    expect(await count()).toBe(1);
    unwrapOrThrow(await client.refresh());
    expect(await count()).toBe(live);
    expect(client.tables).toMatchObject([{ name: "todos", source: "lake" }]);
    await client.close();
  });

  it("a data file gone from the lake is MISSING_FILE", async () => {
    const other = await openTestLake();
    const gw = new MiniGateway("gw", other, schemas);
    gw.apply(delta("INSERT", "todos", "a", "c", 1n << 40n, [{ column: "title", value: "x" }]));
    await gw.flushAll();
    const meta = unwrapOrThrow(
      await other.catalogue.loadTable({ namespace: ["gw"], name: "todos" }),
    ).metadata;
    const { planScan } = await import("@lakesync/catalogue");
    const plan = unwrapOrThrow(await planScan(other.location, meta));
    const file = plan.dataFiles[0]?.dataFile.filePath ?? "";
    rmSync(new URL(file).pathname);
    const opened = await DuckDBClient.open({
      catalogue: other.catalogue,
      location: other.location,
      namespace: ["gw"],
    });
    expect(opened.ok ? undefined : opened.error).toMatchObject({ code: "MISSING_FILE" });
    expect(opened.ok ? "" : opened.error.message).toContain(file);
    await other.close();
  });
});
