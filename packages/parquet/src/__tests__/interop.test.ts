import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { HLC_MAX, unwrapOrThrow } from "@lakesync/core";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readParquetToDeltas,
  readParquetToRows,
  writeDeltasToParquet,
  writeRowsToParquet,
} from "../node.js";
import { sample, todos } from "./fixtures.js";

let dir: string;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lakesync-parquet-"));
  // No extension downloads: parquet is built into the Node package; fail fast if anything tries.
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  duck = await instance.connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const save = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe("files we write, read by DuckDB", () => {
  it("delta metadata, typed columns and the largest HLC come back exactly", async () => {
    const path = save("deltas.parquet", unwrapOrThrow(writeDeltasToParquet(sample, todos)));
    const reader = await duck.runAndReadAll(
      `SELECT op, row_id, client_id, hlc::VARCHAR AS hlc, title, priority, completed, meta, _present FROM read_parquet('${path}')`,
    );
    const rows = reader.getRowObjectsJS();
    expect(rows).toHaveLength(sample.length);
    expect(rows[0]).toMatchObject({
      op: "INSERT",
      row_id: "t1",
      title: "Buy milk 🥛 — ünïcödé",
      priority: 1.5,
      completed: false,
    });
    expect(JSON.parse(String(rows[0]?.meta))).toEqual({
      tags: ["a", "b"],
      nested: { deep: [1, null, { x: "y" }] },
    });
    expect(rows[3]).toMatchObject({ op: "DELETE", hlc: HLC_MAX.toString() });
    expect(rows[1]?._present).toEqual(["completed"]);
  });

  it("absent and null columns are told apart in SQL through _present", async () => {
    const path = save("absent.parquet", unwrapOrThrow(writeDeltasToParquet(sample, todos)));
    const reader = await duck.runAndReadAll(
      `SELECT list_contains(_present, 'title') AS carried, title IS NULL AS empty FROM read_parquet('${path}') WHERE row_id = 't1' ORDER BY hlc`,
    );
    expect(reader.getRowObjectsJS()).toEqual([
      { carried: true, empty: false },
      { carried: false, empty: true },
      { carried: true, empty: true },
    ]);
  });

  it("statistics let DuckDB see the HLC range without reading the data", async () => {
    const path = save("stats.parquet", unwrapOrThrow(writeDeltasToParquet(sample, todos)));
    const reader = await duck.runAndReadAll(
      `SELECT stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${path}') WHERE path_in_schema = 'hlc'`,
    );
    expect(reader.getRowObjectsJS()[0]).toEqual({ lo: "0", hi: HLC_MAX.toString() });
  });
});

describe("files we write, read by hyparquet", () => {
  it("reads every delta column with the exact HLC", async () => {
    const bytes = unwrapOrThrow(writeDeltasToParquet(sample, todos));
    const file = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    const rows = await parquetReadObjects({ file });
    expect(rows.map((r) => r.hlc)).toEqual(sample.map((d) => d.hlc));
    expect(rows[0]).toMatchObject({
      op: "INSERT",
      title: "Buy milk 🥛 — ünïcödé",
      completed: false,
      priority: 1.5,
    });
    expect(parquetMetadata(file).num_rows).toBe(BigInt(sample.length));
    expect(rows.map((r) => r._present)).toEqual(sample.map((d) => d.columns.map((c) => c.column)));
    expect(rows[2]).toMatchObject({ title: null, meta: null });
  });
});

describe("files DuckDB writes, read by us", () => {
  it("a delta file DuckDB rewrote (sorted, without our metadata) reads back with the schema", async () => {
    const ours = save("to-rewrite.parquet", unwrapOrThrow(writeDeltasToParquet(sample, todos)));
    const theirs = join(dir, "rewritten.parquet");
    await duck.run(
      `COPY (SELECT * FROM read_parquet('${ours}') ORDER BY hlc DESC) TO '${theirs}' (FORMAT parquet)`,
    );
    const back = readParquetToDeltas(new Uint8Array(readFileSync(theirs)), todos);
    expect(unwrapOrThrow(back)).toEqual([...sample].sort((a, b) => (a.hlc < b.hlc ? 1 : -1)));
  });

  it("a delta file with a text hlc column is a SchemaError naming the column", async () => {
    const path = join(dir, "text-hlc.parquet");
    await duck.run(
      `COPY (SELECT 'INSERT' AS op, 'todos' AS "table", 'r' AS row_id, 'c' AS client_id, '1' AS hlc, 'x' AS delta_id, ['title'] AS _present, 'a' AS title) TO '${path}' (FORMAT parquet)`,
    );
    const result = readParquetToDeltas(new Uint8Array(readFileSync(path)));
    expect(!result.ok && result.error.message).toBe("column hlc must be a 64-bit integer, is Utf8");
  });

  it("rows with text, doubles, integers, booleans and nulls", async () => {
    const path = join(dir, "duck.parquet");
    await duck.run(
      `COPY (SELECT * FROM (VALUES ('a', 'Milk', 1.5::DOUBLE, 3::INTEGER, true), ('b', NULL, NULL, NULL, NULL), ('c', 'Ünï', -2.0, 7, false)) t(id, title, price, qty, done)) TO '${path}' (FORMAT parquet)`,
    );
    const back = unwrapOrThrow(
      readParquetToRows(new Uint8Array(readFileSync(path)), { table: "items" }),
    );
    expect(back.schema.columns).toEqual([
      { name: "title", type: "string" },
      { name: "price", type: "number" },
      { name: "qty", type: "number" },
      { name: "done", type: "boolean" },
    ]);
    expect(back.rows).toEqual([
      { id: "a", values: { title: "Milk", price: 1.5, qty: 3, done: true } },
      { id: "b", values: { title: null, price: null, qty: null, done: null } },
      { id: "c", values: { title: "Ünï", price: -2, qty: 7, done: false } },
    ]);
  });

  it("our rows files read back in DuckDB with the same values", async () => {
    const path = save(
      "rows.parquet",
      unwrapOrThrow(
        writeRowsToParquet(
          [{ id: "t1", values: { title: "x", priority: 2, completed: true, meta: { a: 1 } } }],
          todos,
        ),
      ),
    );
    const reader = await duck.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    expect(reader.getRowObjectsJS()).toEqual([
      { id: "t1", title: "x", priority: 2, completed: true, meta: '{"a":1}' },
    ]);
  });
});
