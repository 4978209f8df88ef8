import "@lakesync/parquet/node";
import { lakeTables } from "@lakesync/catalogue";
import { delta, RowIndex } from "@lakesync/catalogue/testing";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { DAY, ManualClock } from "../../__tests__/support/clock.js";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { tableHealth } from "../../compaction/table-health.js";
import { CompactionScheduler, type SchedulerTimers } from "../compaction-scheduler.js";

const NOTES: TableSchema = { table: "notes", columns: [{ name: "body", type: "string" }] };
const ids = lakeTables(["lake"], "notes");

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

async function flushes(index: RowIndex, count: number, from = 0) {
  for (let f = from; f < from + count; f++) {
    index.apply(
      delta("UPDATE", "notes", `n${f % 3}`, "c", BigInt(f + 1) << 16n, [
        { column: "body", value: `v${f}` },
      ]),
    );
    await lake.flush(index.take("notes"));
  }
}

const health = async () =>
  unwrapOrThrow(await tableHealth(lake.catalogue, lake.location, ids.main, 1024 * 1024));

describe("CompactionScheduler", () => {
  it("compacts a table once it has more delete files than the threshold, and not before", async () => {
    lake = await openTestLake({ buckets: 1 });
    const index = new RowIndex("gw", new Map([["notes", NOTES]]));
    const scheduler = new CompactionScheduler({
      ...lake,
      namespaces: () => [["lake"]],
      smallFileThreshold: 100,
      deleteFileThreshold: 3,
      maintenanceIntervalMs: false,
    });
    await flushes(index, 3);
    expect(unwrapOrThrow(await scheduler.tick()).compacted).toEqual([]);
    await flushes(index, 1, 3);
    expect((await health()).deleteFiles).toBe(4);
    const report = unwrapOrThrow(await scheduler.tick());
    expect(report.compacted).toHaveLength(1);
    expect(report.errors).toEqual([]);
    expect((await health()).deleteFiles).toBe(0);
  });

  it("compacts a table with more small files than the threshold", async () => {
    lake = await openTestLake({ buckets: 4 });
    const index = new RowIndex("gw", new Map([["notes", NOTES]]));
    const scheduler = new CompactionScheduler({
      ...lake,
      namespaces: () => [["lake"]],
      smallFileThreshold: 2,
      deleteFileThreshold: 100,
      maintenanceIntervalMs: false,
    });
    await flushes(index, 3);
    const report = unwrapOrThrow(await scheduler.tick());
    expect(report.compacted.length).toBeGreaterThan(0);
    expect((await health()).smallFiles).toBeLessThanOrEqual(3);
  });

  it("runs maintenance at most once per interval", async () => {
    const clock = new ManualClock();
    lake = await openTestLake({ buckets: 1, now: clock.now });
    const index = new RowIndex("gw", new Map([["notes", NOTES]]));
    await flushes(index, 2);
    const scheduler = new CompactionScheduler({
      ...lake,
      namespaces: () => [["lake"]],
      maintenanceIntervalMs: DAY,
      now: clock.now,
    });
    expect(unwrapOrThrow(await scheduler.tick()).maintenance).toHaveLength(1);
    clock.advance(0.5);
    expect(unwrapOrThrow(await scheduler.tick()).maintenance).toHaveLength(0);
    clock.advance(0.5);
    expect(unwrapOrThrow(await scheduler.tick()).maintenance).toHaveLength(1);
  });

  it("ticks on its timer until stopped, never two ticks at once", async () => {
    lake = await openTestLake({ buckets: 1 });
    const index = new RowIndex("gw", new Map([["notes", NOTES]]));
    await flushes(index, 2);
    let fire: (() => void) | undefined;
    let cleared = false;
    const timers: SchedulerTimers = {
      setInterval: (callback) => {
        fire = callback;
        return 1;
      },
      clearInterval: () => {
        cleared = true;
      },
    };
    const scheduler = new CompactionScheduler({ ...lake, namespaces: () => [["lake"]] });
    const reports: unknown[] = [];
    let done: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      done = resolve;
    });
    scheduler.start(
      1000,
      (report) => {
        reports.push(report);
        done();
      },
      timers,
    );
    // Two timer events while the first tick runs: one tick.
    fire?.();
    const running = scheduler.tick();
    fire?.();
    await first;
    await running;
    expect(reports).toHaveLength(2);
    expect(reports[0]).toBe(reports[1]);
    await scheduler.stop();
    expect(cleared).toBe(true);
  });

  it("refuses bad options without touching the lake", async () => {
    lake = await openTestLake();
    const scheduler = new CompactionScheduler({
      ...lake,
      namespaces: () => [["lake"]],
      memoryBudgetBytes: 10,
    });
    const report = await scheduler.tick();
    expect(report.ok).toBe(false);
    if (!report.ok) expect(report.error.code).toBe("INVALID_OPTIONS");
  });
});
