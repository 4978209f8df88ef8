import "@lakesync/parquet/node";
import { existsSync } from "node:fs";
import {
  currentSnapshot,
  lakeTables,
  readLakeRowStates,
  readLakeTable,
  type TableIdentifier,
} from "@lakesync/catalogue";
import { delta, RowIndex } from "@lakesync/catalogue/testing";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { DAY, failingCommits, ManualClock } from "../../__tests__/support/clock.js";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { Compactor } from "../../compaction/compactor.js";
import type { Progress } from "../../progress.js";
import { MaintenanceRunner } from "../maintenance-runner.js";
import { snapshotReferences } from "../snapshot-references.js";

const NOTES: TableSchema = {
  table: "notes",
  columns: [
    { name: "body", type: "string" },
    { name: "n", type: "number" },
  ],
};
const schemas = new Map([["notes", NOTES]]);
const ids = lakeTables(["lake"], "notes");

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

/** Every file the retained snapshots of `table` reference exists on disk. */
async function nothingMissing(table: TableIdentifier) {
  const { metadata } = unwrapOrThrow(await lake.catalogue.loadTable(table));
  const refs = unwrapOrThrow(
    await snapshotReferences(lake.location, metadata.snapshots ?? [], true),
  );
  const all = [...refs.manifestLists, ...refs.manifests, ...refs.files];
  expect(all.length).toBeGreaterThan(0);
  expect(all.filter((uri) => !existsSync(lake.pathOf(uri)))).toEqual([]);
}

const rowsNow = async () =>
  unwrapOrThrow(await readLakeTable({ ...lake, namespace: ["lake"], table: "notes" })).rows;

async function flushDays(index: RowIndex, clock: ManualClock, days: number, from = 0) {
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < 6; i++)
      index.apply(
        delta("UPDATE", "notes", `n${i}`, "c", (BigInt(clock.ms) << 16n) + BigInt(i), [
          { column: "body", value: `day ${from + d}` },
          { column: "n", value: i },
        ]),
      );
    await lake.flush(index.take("notes"));
    clock.advance(1);
  }
}

describe("snapshot expiry", () => {
  it("expires snapshots older than the maximum age, keeps the last one, and deletes only files no retained snapshot references", async () => {
    const clock = new ManualClock();
    lake = await openTestLake({ buckets: 2, now: clock.now });
    const index = new RowIndex("gw", schemas);
    await flushDays(index, clock, 4);
    const beforeCompaction = unwrapOrThrow(await lake.catalogue.loadTable(ids.main)).metadata;
    const oldSnapshot = currentSnapshot(beforeCompaction)?.["snapshot-id"] as number;
    const oldRows = await rowsNow();
    unwrapOrThrow(await new Compactor({ ...lake, now: clock.now }).compact(["lake"], "notes"));
    // Time travel to a snapshot before the compaction works while it is kept.
    const travelled = unwrapOrThrow(
      await readLakeTable({
        ...lake,
        namespace: ["lake"],
        table: "notes",
        snapshotId: oldSnapshot,
      }),
    );
    expect(travelled.rows).toEqual(oldRows);
    await flushDays(index, clock, 1, 4);
    const rows = await rowsNow();
    const states = unwrapOrThrow(
      await readLakeRowStates({ ...lake, namespace: ["lake"], table: "notes" }),
    ).states;
    const oldFiles = unwrapOrThrow(
      await snapshotReferences(lake.location, beforeCompaction.snapshots ?? [], true),
    ).files;

    clock.advance(10);
    const progress: Progress[] = [];
    const runner = new MaintenanceRunner({
      ...lake,
      now: clock.now,
      snapshotMaxAgeMs: 5 * DAY,
      onProgress: (p) => progress.push(p),
    });
    const expired = unwrapOrThrow(await runner.expireSnapshots(["lake"]));
    // Deleting files reports progress, ending with every file of the table done.
    const last = progress.filter((p) => p.table === "lake.notes").at(-1);
    expect(last?.operation).toBe("expire-snapshots");
    expect(last?.files.done).toBe(last?.files.total);
    expect(last?.files.total).toBe(expired.find((e) => e.table === "lake.notes")?.filesDeleted);
    const main = expired.find((e) => e.table === "lake.notes");
    expect(main?.retained).toHaveLength(1);
    expect(main?.expired.length).toBeGreaterThanOrEqual(5);
    expect(main?.filesDeleted).toBeGreaterThan(0);
    for (const table of [ids.main, ids.state, ids.history]) await nothingMissing(table);
    // The folded flush files are gone with the snapshots that read them.
    expect([...oldFiles].filter((uri) => existsSync(lake.pathOf(uri)))).toEqual([]);
    expect(await rowsNow()).toEqual(rows);
    expect(
      unwrapOrThrow(await readLakeRowStates({ ...lake, namespace: ["lake"], table: "notes" }))
        .states,
    ).toEqual(states);
    // … and time travel to the expired snapshot now says so.
    const gone = await readLakeTable({
      ...lake,
      namespace: ["lake"],
      table: "notes",
      snapshotId: oldSnapshot,
    });
    expect(gone.ok).toBe(false);
  });

  it("keeps the newest snapshots asked for and every snapshot younger than the maximum age", async () => {
    const clock = new ManualClock();
    lake = await openTestLake({ buckets: 2, now: clock.now });
    const index = new RowIndex("gw", schemas);
    await flushDays(index, clock, 6);
    clock.advance(2);
    // Snapshots of days 0-5 are now 8 to 3 days old.
    const runner = new MaintenanceRunner({
      ...lake,
      now: clock.now,
      snapshotMaxAgeMs: 4 * DAY,
      retainLastSnapshots: 3,
    });
    const expired = unwrapOrThrow(await runner.expireSnapshots(["lake"]));
    const main = expired.find((e) => e.table === "lake.notes");
    expect(main?.retained).toHaveLength(3);
    expect(main?.expired).toHaveLength(3);
    await nothingMissing(ids.main);
    const none = new MaintenanceRunner({ ...lake, now: clock.now });
    expect(
      unwrapOrThrow(await none.expireSnapshots(["lake"])).every((e) => e.expired.length === 0),
    ).toBe(true);
  });

  it("keeps the state snapshot paired with the table's snapshot while a flush's second commit is missing", async () => {
    const clock = new ManualClock();
    lake = await openTestLake({ buckets: 2, now: clock.now });
    const index = new RowIndex("gw", schemas);
    await flushDays(index, clock, 3);
    unwrapOrThrow(await new Compactor({ ...lake, now: clock.now }).compact(["lake"], "notes"));
    const before = unwrapOrThrow(
      await readLakeRowStates({ ...lake, namespace: ["lake"], table: "notes" }),
    );
    // A flush whose commit of ns.notes fails after its state commit: the state table is ahead.
    index.apply(
      delta("UPDATE", "notes", "n1", "c", (BigInt(clock.ms) << 16n) + 99n, [
        { column: "body", value: "ahead" },
      ]),
    );
    const broken = failingCommits(lake.catalogue, (t) => t.name === "notes");
    const { icebergFlushTarget } = await import("@lakesync/catalogue");
    const target = icebergFlushTarget({
      catalogue: broken,
      location: lake.location,
      namespace: ["lake"],
      buckets: 2,
      retry: { backoffMs: () => 0 },
      now: clock.now,
    });
    const written = unwrapOrThrow(await target.write(index.take("notes") as never));
    expect((await written.commit()).ok).toBe(false);
    const mid = unwrapOrThrow(
      await readLakeRowStates({ ...lake, namespace: ["lake"], table: "notes" }),
    );
    expect(mid.states).toEqual(before.states);
    clock.advance(30);
    const runner = new MaintenanceRunner({ ...lake, now: clock.now });
    const report = unwrapOrThrow(await runner.run(["lake"]));
    expect(
      report.snapshots.find((e) => e.table === "lake._lakesync_state_notes")?.expired.length,
    ).toBeGreaterThan(0);
    const after = unwrapOrThrow(
      await readLakeRowStates({ ...lake, namespace: ["lake"], table: "notes" }),
    );
    // Still the old values with their own stamps: not the new stamp beside the old value.
    expect(after.states).toEqual(before.states);
    for (const table of [ids.main, ids.state]) await nothingMissing(table);
  });
});
