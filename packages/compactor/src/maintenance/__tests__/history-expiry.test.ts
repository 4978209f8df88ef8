import "@lakesync/parquet/node";
import {
  HISTORY_TABLE,
  type LakeSyncLogEntry,
  planScan,
  readLakeHistory,
} from "@lakesync/catalogue";
import { delta, RowIndex } from "@lakesync/catalogue/testing";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  type RowDelta,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { DAY, ManualClock } from "../../__tests__/support/clock.js";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { checkHistoryAnswers, oldestAnswerableHlc } from "../history-horizon.js";
import { MaintenanceRunner } from "../maintenance-runner.js";

const NOTES: TableSchema = {
  table: "notes",
  columns: [
    { name: "body", type: "string" },
    { name: "n", type: "number" },
  ],
};

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

/** Folds the deltas with an HLC at or below `hlc`, as time travel by HLC does. */
function foldUntil(deltas: readonly RowDelta[], hlc: bigint): Map<string, RowState> {
  const out = new Map<string, RowState>();
  for (const d of deltas)
    if (d.hlc <= hlc)
      out.set(
        `${d.table}/${d.rowId}`,
        applyToRowState(out.get(`${d.table}/${d.rowId}`) ?? EMPTY_ROW_STATE, d),
      );
  return out;
}

describe("history expiry", () => {
  it("consolidates deltas beyond the retention so that time travel from the horizon on is exact, and says so before it", async () => {
    const clock = new ManualClock();
    const start = clock.ms;
    lake = await openTestLake({ buckets: 2, now: clock.now });
    const index = new RowIndex("gw", new Map([["notes", NOTES]]));
    const stamp = (day: number, i: number) => (BigInt(start + day * DAY) << 16n) + BigInt(i);
    // 40 days, a flush every other day: three of five rows change, one is deleted now and then.
    for (let day = 0; day < 40; day += 2) {
      for (let i = 0; i < 3; i++) {
        const row = `n${(day + i) % 5}`;
        index.apply(
          day % 6 === 2 && i === 0
            ? delta("DELETE", "notes", row, "b", stamp(day, i))
            : delta("UPDATE", "notes", row, i % 2 ? "a" : "b", stamp(day, i), [
                { column: "body", value: `day ${day}` },
                ...(i === 1 ? [{ column: "n", value: day }] : []),
              ]),
        );
      }
      await lake.flush(index.take("notes"));
      clock.ms = start + (day + 2) * DAY;
    }
    const all = unwrapOrThrow(await readLakeHistory({ ...lake, namespace: ["lake"] }));
    const original = all.map((e: LakeSyncLogEntry) => e.delta);
    const historyId = { namespace: ["lake"], name: HISTORY_TABLE };
    const filesBefore = unwrapOrThrow(
      await planScan(
        lake.location,
        unwrapOrThrow(await lake.catalogue.loadTable(historyId)).metadata,
      ),
    ).dataFiles.length;
    expect(
      unwrapOrThrow(await oldestAnswerableHlc({ ...lake, namespace: ["lake"] })),
    ).toBeUndefined();

    const runner = new MaintenanceRunner({ ...lake, now: clock.now, historyRetentionMs: 30 * DAY });
    const expired = unwrapOrThrow(await runner.expireHistory(["lake"]));
    const horizon = expired?.horizon as HLCTimestamp;
    expect(horizon).toBe((BigInt(start + 10 * DAY) << 16n) as HLCTimestamp);
    expect(expired?.filesRemoved).toBe(5);
    expect(unwrapOrThrow(await oldestAnswerableHlc({ ...lake, namespace: ["lake"] }))).toBe(
      horizon,
    );
    const filesAfter = unwrapOrThrow(
      await planScan(
        lake.location,
        unwrapOrThrow(await lake.catalogue.loadTable(historyId)).metadata,
      ),
    ).dataFiles.length;
    expect(filesAfter).toBeLessThan(filesBefore);

    const kept = unwrapOrThrow(await readLakeHistory({ ...lake, namespace: ["lake"] })).map(
      (e) => e.delta,
    );
    expect(kept.length).toBeLessThan(original.length);
    // Every delta at or above the horizon is kept as it was.
    const ids = new Set(kept.map((d) => d.deltaId));
    expect(original.filter((d) => d.hlc >= horizon && !ids.has(d.deltaId))).toEqual([]);
    // From the horizon on, folding what is kept gives exactly what folding everything gave.
    for (const day of [10, 11, 16, 25, 38, 45])
      expect(foldUntil(kept, stamp(day, 1))).toEqual(foldUntil(original, stamp(day, 1)));
    expect((await checkHistoryAnswers({ ...lake, namespace: ["lake"] }, horizon)).ok).toBe(true);
    const before = await checkHistoryAnswers(
      { ...lake, namespace: ["lake"] },
      (horizon - 1n) as HLCTimestamp,
    );
    expect(before.ok).toBe(false);
    if (!before.ok) {
      expect(before.error.code).toBe("BEYOND_RETENTION");
      expect(before.error.message).toContain(String(horizon));
    }
    // Run again with nothing newly expired: nothing is committed.
    const again = unwrapOrThrow(await runner.expireHistory(["lake"]));
    expect(again?.snapshotId).toBeUndefined();
  });

  it("folds in several passes when one does not fit the memory budget", async () => {
    const clock = new ManualClock();
    const start = clock.ms;
    lake = await openTestLake({ buckets: 2, now: clock.now });
    const index = new RowIndex("gw", new Map([["notes", NOTES]]));
    for (let day = 0; day < 2; day++) {
      for (let i = 0; i < 1500; i++)
        index.apply(
          delta("UPDATE", "notes", `n${i}`, "c", (BigInt(start + day * DAY) << 16n) + BigInt(i), [
            { column: "body", value: `a fairly long body for row ${i} on day ${day}`.repeat(4) },
          ]),
        );
      await lake.flush(index.take("notes"));
    }
    clock.ms = start + 40 * DAY;
    const original = unwrapOrThrow(await readLakeHistory({ ...lake, namespace: ["lake"] })).map(
      (e) => e.delta,
    );
    const runner = new MaintenanceRunner({
      ...lake,
      now: clock.now,
      historyRetentionMs: 30 * DAY,
      memoryBudgetBytes: 4 * 1024 * 1024,
    });
    const expired = unwrapOrThrow(await runner.expireHistory(["lake"]));
    expect(expired?.passes).toBeGreaterThan(1);
    const kept = unwrapOrThrow(await readLakeHistory({ ...lake, namespace: ["lake"] })).map(
      (e) => e.delta,
    );
    expect(kept).toHaveLength(1500);
    expect(foldUntil(kept, BigInt(clock.ms) << 16n)).toEqual(
      foldUntil(original, BigInt(clock.ms) << 16n),
    );
  });
});
