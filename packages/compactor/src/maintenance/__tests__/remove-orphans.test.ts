import "@lakesync/parquet/node";
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lakeTables, readLakeTable } from "@lakesync/catalogue";
import { delta, RowIndex } from "@lakesync/catalogue/testing";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../__tests__/support/clock.js";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { fileSystemLister } from "../../node/file-system-lister.js";
import { MaintenanceRunner } from "../maintenance-runner.js";

const NOTES: TableSchema = { table: "notes", columns: [{ name: "body", type: "string" }] };

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

async function flushed(): Promise<string> {
  lake = await openTestLake({ buckets: 2 });
  const index = new RowIndex("gw", new Map([["notes", NOTES]]));
  for (let i = 0; i < 4; i++)
    index.apply(
      delta("INSERT", "notes", `n${i}`, "c", 100n << 16n, [{ column: "body", value: "x" }]),
    );
  await lake.flush(index.take("notes"));
  const { metadata } = unwrapOrThrow(
    await lake.catalogue.loadTable(lakeTables(["lake"], "notes").main),
  );
  return lake.pathOf(metadata.location);
}

/** Writes a file under `dir` last modified `ageMs` ago. */
function fileAged(dir: string, name: string, ageMs: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, "orphan");
  const at = new Date(Date.now() - ageMs);
  utimesSync(path, at, at);
  return path;
}

describe("orphan removal", () => {
  it("removes unreferenced files older than the safety age, crashed writes' temporary files included, and keeps young ones", async () => {
    const dir = await flushed();
    const old = fileAged(join(dir, "data", "row_id_bucket=0"), "lost-write.parquet", 4 * DAY);
    const crashed = fileAged(
      join(dir, "data", "row_id_bucket=1"),
      ".lakesync-tmp-0a1b2c3d4e5f",
      4 * DAY,
    );
    const oldMetadata = fileAged(join(dir, "metadata"), "00042-lost.metadata.json", 4 * DAY);
    const young = fileAged(join(dir, "data", "row_id_bucket=0"), "in-flight.parquet", DAY);
    const rows = unwrapOrThrow(
      await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" }),
    ).rows;
    const runner = new MaintenanceRunner({ ...lake, listFiles: fileSystemLister(lake.root) });
    const removed = unwrapOrThrow(await runner.removeOrphans(["lake"]));
    const notes = removed.find((r) => r.table === "lake.notes");
    expect(notes?.removed.map((u) => lake.pathOf(u)).sort()).toEqual(
      [crashed, old, oldMetadata].sort(),
    );
    expect(notes?.tooYoung).toBe(1);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(crashed)).toBe(false);
    // Everything the metadata references is still there: the table reads the same.
    expect(
      unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" })).rows,
    ).toEqual(rows);
  });

  it("leaves alone the files of another table located inside the table's directory", async () => {
    const dir = await flushed();
    const { metadata } = unwrapOrThrow(
      await lake.catalogue.loadTable(lakeTables(["lake"], "notes").main),
    );
    const inner = unwrapOrThrow(
      await lake.catalogue.createTable(["lake"], {
        name: "inner",
        schema: metadata.schemas[0] as (typeof metadata.schemas)[number],
        location: `${metadata.location}/inner`,
      }),
    );
    const innerMetadata = lake.pathOf(inner.metadataLocation);
    const old = new Date(Date.now() - 4 * DAY);
    utimesSync(innerMetadata, old, old);
    unwrapOrThrow(await new MaintenanceRunner(lake).removeOrphans(["lake"]));
    expect(existsSync(innerMetadata)).toBe(true);
    expect(existsSync(join(dir, "inner"))).toBe(true);
  });

  it("does not see temporary files through the adapter's own listing", async () => {
    const dir = await flushed();
    const crashed = fileAged(join(dir, "data"), ".lakesync-tmp-ffffffffffff", 4 * DAY);
    const runner = new MaintenanceRunner(lake);
    unwrapOrThrow(await runner.removeOrphans(["lake"]));
    expect(existsSync(crashed)).toBe(true);
  });

  it("refuses a negative safety age", async () => {
    await flushed();
    const runner = new MaintenanceRunner({ ...lake, orphanMinAgeMs: -1 });
    const result = await runner.removeOrphans(["lake"]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("INVALID_OPTIONS");
  });
});
