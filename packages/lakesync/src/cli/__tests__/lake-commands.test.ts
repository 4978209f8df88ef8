import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lakeTables } from "@lakesync/catalogue";
import { readLakeTable } from "@lakesync/catalogue/node";
import { tableHealth } from "@lakesync/compactor";
import { unwrapOrThrow } from "@lakesync/core";
import { loadConfig, openServerLake } from "@lakesync/server";
import { TestClient, todoInsert } from "@lakesync/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, serve } from "./support/cli-harness.js";

/** One partition, no timer: every flush adds a file to the same bucket, and nothing compacts by itself. */
const ENV = {
  LAKESYNC_COMPACTION: "off",
  LAKESYNC_ICEBERG_BUCKETS: "1",
  LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
};
let dir: string;

/** The todos table as the lake holds it, and its file counts. */
async function lakeState() {
  const lake = unwrapOrThrow(
    await openServerLake(unwrapOrThrow(loadConfig({ ...ENV, LAKESYNC_DATA_DIR: dir }))),
  );
  try {
    const table = unwrapOrThrow(
      await readLakeTable({ ...lake, namespace: ["todos"], table: "todos" }),
    );
    const health = unwrapOrThrow(
      await tableHealth(lake.catalogue, lake.location, lakeTables(["todos"], "todos").main, 1),
    );
    const titles = Object.fromEntries([...table.rows].map(([id, row]) => [id, row.title]));
    return { titles, dataFiles: health.dataFiles, deleteFiles: health.deleteFiles };
  } finally {
    await lake.close();
  }
}

/** A small lake made as users make it: pushes through `lakesync serve`, flushed by `lakesync flush`. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-cli-lake-"));
  const served = await serve(["--port", "0", "--data-dir", dir, "--dev"], { env: ENV });
  try {
    const token = (await cli(["token", "--sub", "ops", "--admin"])).out.trim();
    const client = new TestClient(served.url, token);
    const batches = [
      [todoInsert("cli", "t1", { title: "milk", owner: "ops" })],
      [todoInsert("cli", "t2", { title: "bread", owner: "ops" })],
      [todoInsert("cli", "t1", { title: "oat milk", owner: "ops" })],
    ];
    for (const batch of batches) {
      expect((await client.push("cli", batch)).status).toBe(200);
      const flushed = await cli(["flush", "--url", served.url, "--token", token]);
      expect(flushed.code, flushed.err).toBe(0);
    }
  } finally {
    const stopped = await served.stop();
    expect(stopped.code, stopped.err).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("lakesync compact, expire and query on a lake flushed through lakesync serve", () => {
  it("compact folds the flushes' files into one, keeping every row's latest values", async () => {
    const before = await lakeState();
    expect(before.dataFiles).toBeGreaterThanOrEqual(3);
    const ran = await cli(["compact", "--data-dir", dir], { env: ENV });
    expect(ran.code, ran.err).toBe(0);
    expect(ran.out).toMatch(/^todos\.todos: \d+ data files( and \d+ delete files?)? into 1 file/m);
    // Off a terminal, progress comes as plain lines.
    expect(ran.err).toMatch(/^compact todos\.todos: \d+\/\d+ files/m);
    const after = await lakeState();
    expect(after).toEqual({ titles: before.titles, dataFiles: 1, deleteFiles: 0 });
    expect(after.titles).toEqual({ t1: "oat milk", t2: "bread" });
  });

  it("compact again has nothing to do, and --json reports it", async () => {
    const ran = await cli(["compact", "--data-dir", dir, "--json", "--table", "todos"], {
      env: ENV,
    });
    expect(ran.code, ran.err).toBe(0);
    const reports = JSON.parse(ran.out) as { table: string; snapshotId?: number }[];
    expect(reports.map((r) => r.table)).toEqual(["todos._lakesync_state_todos", "todos.todos"]);
    expect(reports.every((r) => r.snapshotId === undefined)).toBe(true);
  });

  it("expire removes the snapshots the compaction replaced, and the rows stay", async () => {
    const ran = await cli(["expire", "--data-dir", dir, "--older-than", "0", "--orphan-age", "0"], {
      env: ENV,
    });
    expect(ran.code, ran.err).toBe(0);
    const expired = /^todos: (\d+) snapshots? expired \((\d+) files? deleted\)/m.exec(ran.out);
    expect(Number(expired?.[1])).toBeGreaterThan(0);
    expect(Number(expired?.[2])).toBeGreaterThan(0);
    expect((await lakeState()).titles).toEqual({ t1: "oat milk", t2: "bread" });
  });

  it("query runs the analyst's SQL over the lake", async () => {
    const ran = await cli(
      ["query", "SELECT title FROM todos ORDER BY title", "--data-dir", dir, "--format", "json"],
      { env: ENV },
    );
    expect(ran.code, ran.err).toBe(0);
    expect(JSON.parse(ran.out)).toEqual([{ title: "bread" }, { title: "oat milk" }]);
  });

  it("a failing query exits 1 with the analyst's words under this command's name", async () => {
    const ran = await cli(["query", "SELECT nope FROM todos", "--data-dir", dir], { env: ENV });
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^lakesync query: /);
  });

  it("a namespace the lake does not have fails (exit 1) in words", async () => {
    const ran = await cli(["compact", "--data-dir", dir, "--namespace", "nope"], { env: ENV });
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^lakesync compact: .*nope/);
  });
});
