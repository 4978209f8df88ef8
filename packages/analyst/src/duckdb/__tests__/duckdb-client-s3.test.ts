import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLakeTable } from "@lakesync/catalogue";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { delta, MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { DuckDBClient } from "../../node.js";

const SCHEMA: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
  ],
};
let lake: TestLake;
let cacheDir: string;

beforeAll(async () => {
  lake = await openTestLake({ s3: true });
  cacheDir = mkdtempSync(join(tmpdir(), "lakesync-analyst-cache-"));
  const gw = new MiniGateway("gw", lake, new Map([["todos", SCHEMA]]));
  for (let i = 0; i < 20; i++)
    gw.apply(
      delta("INSERT", "todos", `t${i}`, "c", (1n << 40n) + BigInt(i), [
        { column: "title", value: `task ${i}` },
        { column: "done", value: i % 3 === 0 },
      ]),
    );
  await gw.flushAll();
  gw.apply(delta("DELETE", "todos", "t0", "c", 2n << 40n));
  gw.apply(delta("UPDATE", "todos", "t1", "c", 2n << 40n, [{ column: "done", value: true }]));
  await gw.flushAll();
});
afterAll(async () => {
  await lake.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe("DuckDBClient on an S3 lake", () => {
  it("reads the files through the adapter into a cache (no DuckDB extension) and answers like readLakeTable", async () => {
    const client = unwrapOrThrow(
      await DuckDBClient.open({
        catalogue: lake.catalogue,
        location: lake.location,
        namespace: ["gw"],
        cacheDir,
      }),
    );
    const result = unwrapOrThrow(
      await client.query("SELECT done, count(*) AS n FROM todos GROUP BY done ORDER BY done"),
    );
    const rows = unwrapOrThrow(
      await readLakeTable({
        catalogue: lake.catalogue,
        location: lake.location,
        namespace: ["gw"],
        table: "todos",
      }),
    ).rows;
    const done = [...rows.values()].filter((r) => r.done === true).length;
    expect(result.rows).toEqual([
      { done: false, n: rows.size - done },
      { done: true, n: done },
    ]);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".parquet")).length).toBeGreaterThan(0);
    await client.close();
  });

  it("a cached file is read from the cache the next time (files are immutable)", async () => {
    const before = readdirSync(cacheDir).length;
    const client = unwrapOrThrow(
      await DuckDBClient.open({
        catalogue: lake.catalogue,
        location: lake.location,
        namespace: ["gw"],
        cacheDir,
      }),
    );
    expect(readdirSync(cacheDir).length).toBe(before);
    expect(unwrapOrThrow(await client.query("SELECT count(*) AS n FROM todos")).rows).toEqual([
      { n: 19 },
    ]);
    await client.close();
  });

  it("a file missing from the bucket is MISSING_FILE", async () => {
    const meta = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["gw"], name: "todos" }),
    ).metadata;
    const { planScan } = await import("@lakesync/catalogue");
    const plan = unwrapOrThrow(await planScan(lake.location, meta));
    const uri = plan.dataFiles[0]?.dataFile.filePath ?? "";
    unwrapOrThrow(await lake.location.delete(uri));
    const fresh = mkdtempSync(join(tmpdir(), "lakesync-analyst-cache-"));
    const opened = await DuckDBClient.open({
      catalogue: lake.catalogue,
      location: lake.location,
      namespace: ["gw"],
      cacheDir: fresh,
    });
    expect(opened.ok ? undefined : opened.error.code).toBe("MISSING_FILE");
    expect(opened.ok ? "" : opened.error.message).toContain(uri);
    rmSync(fresh, { recursive: true, force: true });
  });
});
