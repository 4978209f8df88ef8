import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import {
  bucketSpec,
  memoryLocation,
  sqliteCatalogue,
  todoSchema,
} from "../../__tests__/support/fixtures.js";
import { commitSnapshot } from "../../commit/commit-snapshot.js";
import { createTableIfMissing } from "../../commit/table-setup.js";
import type { DataFile } from "../../iceberg/content-file.js";
import { deletesFor, planScan, type ScanFile, type ScanPlan } from "../plan-scan.js";

function file(name: string, bucket: number | null, content: 0 | 2 = 0): DataFile {
  return {
    content,
    filePath: `memory://lake/lake/t/data/${name}.parquet`,
    fileFormat: "PARQUET",
    partition: { row_id_bucket: bucket },
    recordCount: 1,
    fileSizeInBytes: 1,
    ...(content === 2 ? { equalityIds: [1] } : {}),
  };
}

async function table() {
  let clock = 10_000;
  const now = () => (clock += 1_000);
  const location = memoryLocation();
  const catalogue = await sqliteCatalogue(location, now);
  const id = { namespace: ["lake"], name: "t" };
  unwrapOrThrow(
    await createTableIfMissing(catalogue, id, { schema: todoSchema, partitionSpec: bucketSpec(4) }),
  );
  const commit = async (operation: "append" | "overwrite", addedFiles: DataFile[]) =>
    unwrapOrThrow(
      await commitSnapshot({
        catalogue,
        location,
        table: id,
        operation,
        addedFiles,
        now,
        retry: { backoffMs: () => 0 },
      }),
    );
  return { location, catalogue, commit };
}

const names = (files: readonly ScanFile[]) =>
  files.map((f) => f.dataFile.filePath.split("/").pop()?.replace(".parquet", "")).sort();

describe("planScan", () => {
  it("plans nothing for a table without snapshots", async () => {
    const { location, catalogue } = await table();
    const { metadata } = unwrapOrThrow(
      await catalogue.loadTable({ namespace: ["lake"], name: "t" }),
    );
    expect(unwrapOrThrow(await planScan(location, metadata))).toMatchObject({
      snapshot: undefined,
      dataFiles: [],
      deleteFiles: [],
    });
  });

  it("an equality delete applies to older data in its partition only, never to data of its own commit", async () => {
    const { location, commit } = await table();
    await commit("append", [file("old-1", 1), file("old-2", 2)]);
    const done = await commit("overwrite", [file("new-1", 1), file("del-1", 1, 2)]);
    const plan: ScanPlan = unwrapOrThrow(await planScan(location, done.table.metadata));
    expect(names(plan.dataFiles)).toEqual(["new-1", "old-1", "old-2"]);
    const applies = (name: string) => {
      const target = plan.dataFiles.find((f) => f.dataFile.filePath.includes(`/${name}.parquet`));
      return target ? names(deletesFor(plan, target)) : undefined;
    };
    expect(applies("old-1")).toEqual(["del-1"]);
    expect(applies("old-2")).toEqual([]);
    expect(applies("new-1")).toEqual([]);
  });

  it("reads an earlier snapshot by id or by time from the snapshot log", async () => {
    const { location, commit } = await table();
    const first = await commit("append", [file("a", 1)]);
    const second = await commit("append", [file("b", 1)]);
    const metadata = second.table.metadata;
    expect(
      names(
        unwrapOrThrow(
          await planScan(location, metadata, { snapshotId: first.snapshot["snapshot-id"] }),
        ).dataFiles,
      ),
    ).toEqual(["a"]);
    const at = first.snapshot["timestamp-ms"];
    expect(
      names(unwrapOrThrow(await planScan(location, metadata, { asOfTimestampMs: at })).dataFiles),
    ).toEqual(["a"]);
    expect(
      names(
        unwrapOrThrow(await planScan(location, metadata, { asOfTimestampMs: at + 999 })).dataFiles,
      ),
    ).toEqual(["a"]);
    expect(
      names(
        unwrapOrThrow(
          await planScan(location, metadata, { asOfTimestampMs: second.snapshot["timestamp-ms"] }),
        ).dataFiles,
      ),
    ).toEqual(["a", "b"]);
    expect(await planScan(location, metadata, { asOfTimestampMs: at - 1 })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(await planScan(location, metadata, { snapshotId: 12345 })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
  });

  it("a damaged manifest list is a clear error", async () => {
    const { location, commit } = await table();
    const done = await commit("append", [file("a", 1)]);
    unwrapOrThrow(
      await location.write(done.snapshot["manifest-list"], new TextEncoder().encode("garbage")),
    );
    expect(await planScan(location, done.table.metadata)).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
  });
});
