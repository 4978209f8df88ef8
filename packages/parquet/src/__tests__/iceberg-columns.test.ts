import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { unwrapOrThrow } from "@lakesync/core";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IcebergColumn, writeIcebergParquet } from "../node.js";

let dir: string;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lakesync-iceberg-parquet-"));
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  duck = await instance.connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns: IcebergColumn[] = [
  { name: "row_id", fieldId: 1, type: "string", required: true, values: ["a", "b", "ü"] },
  { name: "count", fieldId: 2, type: "int", required: false, values: [1, null, -3] },
  { name: "total", fieldId: 3, type: "long", required: false, values: [2n ** 40n, 7, null] },
  { name: "ratio", fieldId: 4, type: "double", required: false, values: [0.5, null, 1e300] },
  { name: "done", fieldId: 5, type: "boolean", required: false, values: [true, false, null] },
  { name: "day", fieldId: 6, type: "date", required: false, values: [0, 19000, null] },
  { name: "at", fieldId: 7, type: "timestamptz", required: false, values: [1_000_000, null, 0n] },
  {
    name: "blob",
    fieldId: 8,
    type: "binary",
    required: false,
    values: [Uint8Array.of(1, 2), null, new Uint8Array()],
  },
  { name: "small", fieldId: 9, type: "float", required: false, values: [1.5, null, 2] },
];

describe("Parquet columns with Iceberg field ids", () => {
  it("DuckDB's parquet_schema shows each column's field id", async () => {
    const path = join(dir, "ids.parquet");
    writeFileSync(path, unwrapOrThrow(writeIcebergParquet(columns, 3)));
    const reader = await duck.runAndReadAll(
      `SELECT name, field_id::INTEGER AS field_id FROM parquet_schema('${path}') WHERE field_id IS NOT NULL ORDER BY field_id`,
    );
    expect(reader.getRowObjectsJS()).toEqual(
      columns.map((c) => ({ name: c.name, field_id: c.fieldId })),
    );
  });

  it("values come back with their types and nulls (hyparquet)", async () => {
    const bytes = unwrapOrThrow(writeIcebergParquet(columns, 3));
    const file = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    const rows = await parquetReadObjects({ file, utf8: true });
    expect(rows.map((r) => [r.row_id, r.count, r.total, r.ratio, r.done, r.small])).toEqual([
      ["a", 1, 2n ** 40n, 0.5, true, 1.5],
      ["b", null, 7n, null, false, null],
      ["ü", -3, null, 1e300, null, 2],
    ]);
    const schema = parquetMetadata(file).schema;
    expect(schema.find((s) => s.name === "row_id")?.repetition_type).toBe("REQUIRED");
    expect(schema.find((s) => s.name === "count")?.repetition_type).toBe("OPTIONAL");
  });

  it("refuses a null in a required column, a misfit value and a short column", () => {
    const required = writeIcebergParquet(
      [{ name: "row_id", fieldId: 1, type: "string", required: true, values: [null] }],
      1,
    );
    expect(required.ok || required.error.code).toBe("SCHEMA_MISMATCH");
    const misfit = writeIcebergParquet(
      [{ name: "n", fieldId: 1, type: "int", required: false, values: [2 ** 40] }],
      1,
    );
    expect(misfit.ok || misfit.error.message).toMatch(/does not fit/);
    const short = writeIcebergParquet(
      [{ name: "n", fieldId: 1, type: "int", required: false, values: [1] }],
      2,
    );
    expect(short.ok).toBe(false);
    const twice = writeIcebergParquet(
      [
        { name: "n", fieldId: 1, type: "int", required: false, values: [1] },
        { name: "m", fieldId: 1, type: "int", required: false, values: [1] },
      ],
      1,
    );
    expect(twice.ok).toBe(false);
  });
});
