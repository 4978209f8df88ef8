import "@lakesync/parquet/node";
import { readdir } from "node:fs/promises";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  CatalogueError,
  type LakeLocation,
  lakeTables,
  openParquetFile,
  planScan,
  readLakeTable,
  type ScanFile,
} from "@lakesync/catalogue";
import { delta, expectedRows, RowIndex } from "@lakesync/catalogue/testing";
import { Err, Ok, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { icebergRead } from "icebird";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { compactionLimits } from "../compaction-options.js";
import { Compactor } from "../compactor.js";

const NOTES: TableSchema = {
  table: "notes",
  columns: [
    { name: "body", type: "string" },
    { name: "n", type: "number" },
  ],
};
const main = lakeTables(["lake"], "notes").main;
const BUDGET = 4 * 1024 * 1024;
const TARGET = 256 * 1024;

let lake: TestLake;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;
const index = new RowIndex("gw", new Map([["notes", NOTES]]));

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sorted = (rows: Record<string, unknown>[]) =>
  rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? null])))
    .sort((a, b) => (String(a.row_id) < String(b.row_id) ? -1 : 1));

async function scan() {
  const { metadata, metadataLocation } = unwrapOrThrow(await lake.catalogue.loadTable(main));
  return {
    metadata,
    metadataLocation,
    plan: unwrapOrThrow(await planScan(lake.location, metadata)),
  };
}

async function viaIcebird() {
  const { metadata, metadataLocation } = await scan();
  const rows = await icebergRead({
    tableUrl: metadata.location,
    metadataFileName: metadataLocation.slice(metadataLocation.lastIndexOf("/") + 1),
  });
  return sorted(rows as Record<string, unknown>[]);
}

/** DuckDB's fold: the data files minus the equality deletes with a higher sequence number. */
async function viaDuckdb() {
  const { plan } = await scan();
  const values = (list: readonly ScanFile[]) =>
    list.map((f) => `(${quote(lake.pathOf(f.dataFile.filePath))}, ${f.sequenceNumber})`).join(", ");
  const paths = (list: readonly ScanFile[]) =>
    `[${list.map((f) => quote(lake.pathOf(f.dataFile.filePath))).join(", ")}]`;
  const deletes =
    plan.deleteFiles.length === 0
      ? "SELECT NULL::VARCHAR AS row_id, 0 AS seq WHERE false"
      : `SELECT x.row_id, f.seq FROM read_parquet(${paths(plan.deleteFiles)}, filename = true) x
         JOIN (VALUES ${values(plan.deleteFiles)}) f(file, seq) ON x.filename = f.file`;
  const sql = `
    WITH data AS (
           SELECT d.* EXCLUDE (filename), f.seq AS _seq
           FROM read_parquet(${paths(plan.dataFiles)}, filename = true, union_by_name = true, hive_partitioning = false) d
           JOIN (VALUES ${values(plan.dataFiles)}) f(file, seq) ON d.filename = f.file),
         deletes AS (${deletes})
    SELECT * EXCLUDE (_seq) FROM data
    WHERE NOT EXISTS (SELECT 1 FROM deletes WHERE deletes.row_id = data.row_id AND deletes.seq > data._seq)`;
  return sorted((await duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]);
}

async function expectSameEverywhere() {
  const icebird = await viaIcebird();
  expect(await viaDuckdb()).toEqual(icebird);
  const ours = unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" }));
  expect(ours.rows).toEqual(expectedRows(index.states.get("notes"), NOTES));
  expect(icebird).toHaveLength(ours.rows.size);
  return icebird;
}

beforeAll(async () => {
  lake = await openTestLake({ http: true, buckets: 1 });
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  duck = await instance.connect();
  for (let f = 0; f < 8; f++) {
    for (let i = f * 2500; i < (f + 1) * 2500; i++)
      index.apply(
        delta("INSERT", "notes", `row-${i}`, "c", (BigInt(10 + f) << 16n) + BigInt(i), [
          { column: "body", value: `note ${i} ${"lorem ipsum ".repeat((i % 5) + 1)}` },
          { column: "n", value: i },
        ]),
      );
    await lake.flush(index.take("notes"));
  }
});
afterAll(async () => {
  duck?.closeSync();
  await lake?.close();
});

describe("compacted files stream to the lake row group by row group", () => {
  it("reach a target several times larger than the budget's row groups, readers see the same rows", async () => {
    const limits = unwrapOrThrow(
      compactionLimits({ memoryBudgetBytes: BUDGET, targetFileBytes: TARGET }),
    );
    expect(limits.effectiveTargetBytes).toBe(TARGET);
    const before = await expectSameEverywhere();
    const compactor = new Compactor({
      ...lake,
      memoryBudgetBytes: BUDGET,
      targetFileBytes: TARGET,
    });
    const done = unwrapOrThrow(await compactor.compactIcebergTable(main));
    expect(done.rowsWritten).toBe(20_000);
    expect(done.filesWritten).toBeGreaterThan(1);
    const { plan } = await scan();
    expect(plan.deleteFiles).toHaveLength(0);
    const sizes = plan.dataFiles.map((f) => f.dataFile.fileSizeInBytes).sort((a, b) => b - a);
    // All but the last file reach the target, without overshooting it by more than a row group.
    for (const size of sizes.slice(0, -1)) {
      expect(size).toBeGreaterThan(TARGET * 0.9);
      expect(size).toBeLessThan(TARGET + limits.inputFileLimitBytes);
    }
    for (const file of plan.dataFiles.filter((f) => f.dataFile.fileSizeInBytes > TARGET * 0.9)) {
      const parts = unwrapOrThrow(await openParquetFile(lake.location, file.dataFile.filePath));
      expect(parts.rowGroups.length).toBeGreaterThan(2);
      for (const group of parts.rowGroups)
        expect(group.bytes).toBeLessThanOrEqual(limits.inputFileLimitBytes);
    }
    expect(await expectSameEverywhere()).toEqual(before);
  });

  it("compacts its own large files again, a few row groups at a time, when deletes arrive", async () => {
    for (let i = 0; i < 20_000; i += 7)
      index.apply(
        delta("UPDATE", "notes", `row-${i}`, "d", (90n << 16n) + BigInt(i), [
          { column: "n", value: -i },
        ]),
      );
    for (let i = 3; i < 20_000; i += 11)
      index.apply(delta("DELETE", "notes", `row-${i}`, "d", 95n << 16n));
    await lake.flush(index.take("notes"));
    const before = await expectSameEverywhere();
    const { plan } = await scan();
    const limits = unwrapOrThrow(compactionLimits({ memoryBudgetBytes: BUDGET }));
    expect(
      plan.dataFiles.some((f) => f.dataFile.fileSizeInBytes > limits.inputFileLimitBytes),
    ).toBe(true);
    const done = unwrapOrThrow(
      await new Compactor({
        ...lake,
        memoryBudgetBytes: BUDGET,
        targetFileBytes: TARGET,
      }).compactIcebergTable(main),
    );
    expect(done.skipped).toEqual([]);
    expect((await scan()).plan.deleteFiles).toHaveLength(0);
    expect(await expectSameEverywhere()).toEqual(before);
  });
});

describe("a failed streamed write", () => {
  it("discards every file written and the open upload, leaving the table as it was", async () => {
    const failing = await openTestLake({ buckets: 1 });
    try {
      const local = new RowIndex("gw", new Map([["notes", NOTES]]));
      for (let f = 0; f < 4; f++) {
        for (let i = f * 2500; i < (f + 1) * 2500; i++)
          local.apply(
            delta("INSERT", "notes", `row-${i}`, "c", (BigInt(10 + f) << 16n) + BigInt(i), [
              { column: "body", value: `note ${i} ${"lorem ipsum ".repeat(3)}` },
              { column: "n", value: i },
            ]),
          );
        await failing.flush(local.take("notes"));
      }
      const filesBefore = (await readdir(failing.root, { recursive: true })).sort();
      let writes = 0;
      const location: LakeLocation = {
        ...failing.location,
        upload: async (uri) => {
          const upload = await failing.location.upload(uri);
          if (!upload.ok) return upload;
          return Ok({
            ...upload.value,
            // The third part written by the compaction fails: a file is closed by then.
            write: async (data: Uint8Array) =>
              ++writes === 3
                ? Err(new CatalogueError("CATALOGUE_UNAVAILABLE", "disk full"))
                : upload.value.write(data),
          });
        },
      };
      const compacted = await new Compactor({
        ...failing,
        location,
        memoryBudgetBytes: BUDGET,
        targetFileBytes: 64 * 1024,
      }).compactIcebergTable(main);
      expect(compacted.ok).toBe(false);
      expect(writes).toBeGreaterThanOrEqual(3);
      // Nothing new is left: no compacted file, no temporary file.
      expect((await readdir(failing.root, { recursive: true })).sort()).toEqual(filesBefore);
      const read = unwrapOrThrow(
        await readLakeTable({ ...failing, namespace: ["lake"], table: "notes" }),
      );
      expect(read.rows).toEqual(expectedRows(local.states.get("notes"), NOTES));
    } finally {
      await failing.close();
    }
  });
});
