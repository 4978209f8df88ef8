import "@lakesync/parquet/node";
import { bucketString, lakeTables, planScan, readLakeTable } from "@lakesync/catalogue";
import { delta, expectedRows, RowIndex } from "@lakesync/catalogue/testing";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import type { Progress } from "../../progress.js";
import { compactionLimits } from "../compaction-options.js";
import { Compactor } from "../compactor.js";

const NOTES: TableSchema = {
  table: "notes",
  columns: [
    { name: "body", type: "string" },
    { name: "n", type: "number" },
  ],
};
const schemas = new Map([["notes", NOTES]]);
const main = lakeTables(["lake"], "notes").main;

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

async function dataFiles() {
  const { metadata } = unwrapOrThrow(await lake.catalogue.loadTable(main));
  const plan = unwrapOrThrow(await planScan(lake.location, metadata));
  return { data: plan.dataFiles, deletes: plan.deleteFiles };
}

function insert(index: RowIndex, from: number, count: number, wall: number, body = "x") {
  for (let i = from; i < from + count; i++)
    index.apply(
      delta("INSERT", "notes", `row-${i}`, "c", (BigInt(wall) << 16n) + BigInt(i), [
        { column: "body", value: `${body} ${i} ${"lorem ipsum ".repeat(3)}` },
        { column: "n", value: i },
      ]),
    );
}

describe("what a compaction rewrites", () => {
  it("rewrites only the partitions and files that need it", async () => {
    lake = await openTestLake({ buckets: 2 });
    const index = new RowIndex("gw", schemas);
    insert(index, 0, 40, 10);
    await lake.flush(index.take("notes"));
    // `smallFileBytes: 1`: no file is small, so only files with deletes against them are rewritten.
    const compactor = new Compactor({ ...lake, smallFileBytes: 1 });
    const first = unwrapOrThrow(await compactor.compactIcebergTable(main));
    // The first flush's deletes apply to nothing: they are dropped, no data file is rewritten.
    expect(first.dataFilesRewritten).toBe(0);
    expect(first.deleteFilesRemoved).toBeGreaterThan(0);
    const before = await dataFiles();
    expect(before.deletes).toHaveLength(0);
    // Touch one row of bucket 0 only.
    const inBucket0 = [...Array(40).keys()].find((i) => bucketString(`row-${i}`, 2) === 0) ?? 0;
    index.apply(
      delta("UPDATE", "notes", `row-${inBucket0}`, "c", 99n << 16n, [{ column: "n", value: -1 }]),
    );
    await lake.flush(index.take("notes"));
    const second = unwrapOrThrow(await compactor.compactIcebergTable(main));
    const after = await dataFiles();
    const bucket = (f: { dataFile: { partition: Readonly<Record<string, unknown>> } }) =>
      f.dataFile.partition.row_id_bucket;
    // Bucket 1's files are untouched; in bucket 0 the files with the delete against them went.
    const untouched = (files: typeof before.data) =>
      files
        .filter((f) => bucket(f) === 1)
        .map((f) => f.dataFile.filePath)
        .sort();
    expect(untouched(after.data)).toEqual(untouched(before.data));
    expect(second.dataFilesRewritten).toBe(before.data.filter((f) => bucket(f) === 0).length);
    expect(after.deletes).toHaveLength(0);
    expect(
      unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" })).rows,
    ).toEqual(expectedRows(index.states.get("notes"), NOTES));
  });

  it("leaves a partition alone while it has fewer small files than the minimum and no deletes", async () => {
    lake = await openTestLake({ buckets: 1 });
    const index = new RowIndex("gw", schemas);
    insert(index, 0, 5, 10);
    await lake.flush(index.take("notes"));
    const done = unwrapOrThrow(
      await new Compactor({ ...lake, minSmallFiles: 2 }).compactIcebergTable(main),
    );
    expect(done.dataFilesRewritten).toBe(0);
  });
});

describe("file sizes and memory", () => {
  it("cuts a partition into files near the target size", async () => {
    lake = await openTestLake({ buckets: 1 });
    const index = new RowIndex("gw", schemas);
    for (let f = 0; f < 6; f++) {
      insert(index, f * 500, 500, 10 + f);
      await lake.flush(index.take("notes"));
    }
    const target = 16 * 1024;
    const done = unwrapOrThrow(
      await new Compactor({ ...lake, targetFileBytes: target }).compactIcebergTable(main),
    );
    expect(done.rowsWritten).toBe(3000);
    expect(done.filesWritten).toBeGreaterThan(2);
    const { data } = await dataFiles();
    // All but the last file reach the target without overshooting it by much.
    const sizes = data.map((f) => f.dataFile.fileSizeInBytes).sort((a, b) => b - a);
    for (const size of sizes.slice(0, -1)) {
      expect(size).toBeGreaterThan(target * 0.5);
      expect(size).toBeLessThan(target * 2);
    }
    expect(
      unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" })).rows,
    ).toEqual(expectedRows(index.states.get("notes"), NOTES));
  });

  it("applies a backlog of deletes in chunks when the memory budget is small, files still reaching the target", async () => {
    const limits = unwrapOrThrow(compactionLimits({ memoryBudgetBytes: 4 * 1024 * 1024 }));
    // Files stream row group by row group: the budget no longer caps their size.
    expect(limits.effectiveTargetBytes).toBe(limits.targetFileBytes);
    lake = await openTestLake({ buckets: 1 });
    const index = new RowIndex("gw", schemas);
    for (let f = 0; f < 4; f++) {
      insert(index, f * 2500, 2500, 10 + f);
      await lake.flush(index.take("notes"));
    }
    const done = unwrapOrThrow(
      await new Compactor({ ...lake, memoryBudgetBytes: 4 * 1024 * 1024 }).compactIcebergTable(
        main,
      ),
    );
    expect(done.skipped).toEqual([]);
    expect(done.filesWritten).toBe(1);
    expect(done.rowsWritten).toBe(10_000);
    expect(
      unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" })).rows,
    ).toEqual(expectedRows(index.states.get("notes"), NOTES));
  });

  it("refuses a memory budget below the minimum", async () => {
    lake = await openTestLake();
    const done = await new Compactor({ ...lake, memoryBudgetBytes: 1024 }).compactIcebergTable(
      main,
    );
    expect(done.ok).toBe(false);
    if (!done.ok) expect(done.error.code).toBe("INVALID_OPTIONS");
  });
});

describe("progress", () => {
  it("reports files, rows and bytes as the compaction goes", async () => {
    lake = await openTestLake({ buckets: 2 });
    const index = new RowIndex("gw", schemas);
    for (let f = 0; f < 3; f++) {
      insert(index, f * 30, 30, 10 + f);
      await lake.flush(index.take("notes"));
    }
    const seen: Progress[] = [];
    const done = unwrapOrThrow(
      await new Compactor({ ...lake, onProgress: (p) => seen.push(p) }).compactIcebergTable(main),
    );
    expect(seen.length).toBeGreaterThan(done.dataFilesRewritten);
    const last = seen[seen.length - 1] as Progress;
    expect(last).toMatchObject({
      operation: "compact",
      table: "lake.notes",
      files: { done: done.dataFilesRewritten, total: done.dataFilesRewritten },
      rows: { done: 90, total: 90 },
    });
    expect(last.bytes.written).toBe(done.bytesWritten);
    for (let i = 1; i < seen.length; i++) {
      expect((seen[i] as Progress).rows.done).toBeGreaterThanOrEqual(
        (seen[i - 1] as Progress).rows.done,
      );
      expect((seen[i] as Progress).bytes.read).toBeGreaterThanOrEqual(
        (seen[i - 1] as Progress).bytes.read,
      );
    }
  });
});
