import "@lakesync/parquet/node";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketSpec, todoSchema } from "../../__tests__/support/fixtures.js";
import { bucketString } from "../bucket-transform.js";
import { writeDataFile } from "../data-file-writer.js";
import { deserialiseValue } from "../single-value.js";

let dir: string;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lakesync-data-file-"));
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  duck = await instance.connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Row ids that all fall in bucket `b` of 4. */
function idsInBucket(b: number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) if (bucketString(`row-${i}`, 4) === b) out.push(`row-${i}`);
  return out;
}

const ids = idsInBucket(2, 4);
const rows = [
  { row_id: ids[0], title: "Buy milk", done: false, priority: 3, score: 0.5 },
  { row_id: ids[1], title: null, done: true, priority: 10n, score: -0 },
  {
    row_id: ids[2],
    title: "a much longer title than sixteen characters",
    done: null,
    priority: -2,
    score: Number.NaN,
  },
  { row_id: ids[3], title: "ünïcödé", done: false, priority: null, score: 7 },
];

describe("writing data files", () => {
  it("describes a data file: partition, counts and bounds in single-value serialisation", () => {
    const { bytes, dataFile } = unwrapOrThrow(
      writeDataFile({
        schema: todoSchema,
        spec: bucketSpec(4),
        rows,
        filePath: "file:///lake/t/data/a.parquet",
      }),
    );
    expect(dataFile).toMatchObject({
      content: 0,
      filePath: "file:///lake/t/data/a.parquet",
      fileFormat: "PARQUET",
      partition: { row_id_bucket: 2 },
      recordCount: 4,
      fileSizeInBytes: bytes.length,
    });
    expect(dataFile.valueCounts?.get(2)).toBe(4);
    expect(dataFile.nullValueCounts?.get(2)).toBe(1);
    expect(dataFile.nanValueCounts?.get(5)).toBe(1);
    const bound = (
      side: "lowerBounds" | "upperBounds",
      id: number,
      type: Parameters<typeof deserialiseValue>[0],
    ) => {
      const b = dataFile[side]?.get(id);
      return b && deserialiseValue(type, b);
    };
    expect(bound("lowerBounds", 4, "long")).toBe(-2n);
    expect(bound("upperBounds", 4, "long")).toBe(10n);
    expect(bound("lowerBounds", 2, "string")).toBe("Buy milk");
    // Strings order by UTF-8 bytes: "ü" sorts after every ASCII letter.
    expect(bound("upperBounds", 2, "string")).toBe("ünïcödé");
    // -0.0 precedes +0.0, and NaN is never a bound.
    expect(bound("lowerBounds", 5, "double")).toBe(-0);
    expect(bound("upperBounds", 5, "double")).toBe(7);
    expect(bound("lowerBounds", 3, "boolean")).toBe(false);
    expect(dataFile.equalityIds).toBeUndefined();
  });

  it("truncates long string bounds to 16 characters, rounding the upper one up", () => {
    const long = "x".repeat(20);
    const { dataFile } = unwrapOrThrow(
      writeDataFile({
        schema: todoSchema,
        rows: [{ row_id: long }],
        filePath: "file:///lake/t/data/b.parquet",
      }),
    );
    expect(deserialiseValue("string", dataFile.lowerBounds?.get(1) ?? new Uint8Array())).toBe(
      "x".repeat(16),
    );
    expect(deserialiseValue("string", dataFile.upperBounds?.get(1) ?? new Uint8Array())).toBe(
      `${"x".repeat(15)}y`,
    );
  });

  it("writes equality deletes with only the equality columns and their ids", () => {
    const { dataFile } = unwrapOrThrow(
      writeDataFile({
        schema: todoSchema,
        spec: bucketSpec(4),
        rows: [{ row_id: ids[1] }],
        content: "equality-deletes",
        filePath: "file:///lake/t/data/d.parquet",
      }),
    );
    expect(dataFile).toMatchObject({
      content: 2,
      equalityIds: [1],
      partition: { row_id_bucket: 2 },
      recordCount: 1,
    });
    expect([...(dataFile.valueCounts?.keys() ?? [])]).toEqual([1]);
  });

  it("DuckDB sees the field ids, and data minus equality deletes gives the live rows", async () => {
    const data = unwrapOrThrow(
      writeDataFile({ schema: todoSchema, spec: bucketSpec(4), rows, filePath: "x" }),
    );
    const deletes = unwrapOrThrow(
      writeDataFile({
        schema: todoSchema,
        spec: bucketSpec(4),
        rows: [{ row_id: ids[0] }, { row_id: ids[2] }],
        content: "equality-deletes",
        filePath: "y",
      }),
    );
    const dataPath = join(dir, "data.parquet");
    const deletePath = join(dir, "deletes.parquet");
    writeFileSync(dataPath, data.bytes);
    writeFileSync(deletePath, deletes.bytes);
    const schema = await duck.runAndReadAll(
      `SELECT name, field_id::INTEGER AS id FROM parquet_schema('${dataPath}') WHERE field_id IS NOT NULL ORDER BY id`,
    );
    expect(schema.getRowObjectsJS()).toEqual(
      todoSchema.fields.map((f) => ({ name: f.name, id: f.id })),
    );
    const live = await duck.runAndReadAll(
      `SELECT row_id, title, priority::INTEGER AS priority FROM read_parquet('${dataPath}')
        WHERE row_id NOT IN (SELECT row_id FROM read_parquet('${deletePath}')) ORDER BY row_id`,
    );
    expect(live.getRowObjectsJS()).toEqual(
      [rows[1], rows[3]]
        .map((r) => ({
          row_id: r?.row_id,
          title: r?.title ?? null,
          priority: r?.priority === null ? null : Number(r?.priority),
        }))
        .sort((a, b) => String(a.row_id).localeCompare(String(b.row_id))),
    );
  });

  it("refuses rows across partitions, unsupported column types and values that do not fit", () => {
    const spread = writeDataFile({
      schema: todoSchema,
      spec: bucketSpec(4),
      rows: [{ row_id: idsInBucket(0, 1)[0] }, { row_id: idsInBucket(1, 1)[0] }],
      filePath: "x",
    });
    expect(spread.ok || spread.error.code).toBe("INVALID_INPUT");
    const decimal = writeDataFile({
      schema: {
        ...todoSchema,
        fields: [
          ...todoSchema.fields,
          { id: 6, name: "price", required: false, type: "decimal(9, 2)" },
        ],
      },
      rows: [],
      filePath: "x",
    });
    expect(decimal.ok || decimal.error.code).toBe("INVALID_INPUT");
    const misfit = writeDataFile({
      schema: todoSchema,
      rows: [{ row_id: "a", priority: "high" }],
      filePath: "x",
    });
    expect(misfit.ok || misfit.error.code).toBe("SCHEMA_MISMATCH");
    const missingId = writeDataFile({
      schema: todoSchema,
      rows: [{ title: "no id" }],
      filePath: "x",
    });
    expect(missingId.ok || missingId.error.code).toBe("SCHEMA_MISMATCH");
    const noIds = writeDataFile({
      schema: { ...todoSchema, "identifier-field-ids": [] },
      rows: [],
      content: "equality-deletes",
      filePath: "x",
    });
    expect(noIds.ok || noIds.error.code).toBe("INVALID_INPUT");
  });
});
