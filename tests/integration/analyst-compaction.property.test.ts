/**
 * The analyst across compactions (issue 16): after random histories of pushes to a real gateway,
 * flushes into Iceberg, compactions and snapshot expiry, the `UnionReader` (lake plus the
 * gateway's unflushed deltas) equals a replica fed every delta; the `TimeTraveller` as of an HLC
 * equals a replica fed the logged deltas at or before it, and as of every snapshot it committed
 * (by id or time) the rows it was committed with, until that snapshot expires (then
 * `BEYOND_RETENTION`); `DuckDBClient`'s live rows equal the union's once everything is flushed,
 * and stay the same through a compaction.
 */
import { inProcessSource, TimeTraveller, UnionReader } from "@lakesync/analyst";
import { DuckDBClient } from "@lakesync/analyst/node";
import { HLC_ZERO, type LakeSyncError, type Result, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type LakeHarness as Harness,
  LakeHarness,
  NAMESPACE,
} from "./analyst-compaction-harness.js";
import {
  compactionSettings,
  hlcOf,
  normalise,
  type Rows,
  replicaRows,
  replicaStates,
  step,
  TABLES,
} from "./analyst-compaction-histories.js";

const runs = (fallback: number) => ({
  numRuns: Number(process.env.FC_RUNS ?? fallback),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
});
/** What the checks met, so a generator that stops reaching a case fails the test. */
const met = { trimmed: 0, expired: 0, compacted: 0, flushedAfterCompaction: 0 };
const history = fc.array(step, { minLength: 4, maxLength: 20 });

/** The union of every table equals a replica fed every delta pushed. */
async function checkUnion(lake: Harness): Promise<void> {
  const reader = new UnionReader({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: NAMESPACE,
    source: inProcessSource(lake.gateway),
    pageSize: 3,
  });
  // The gateway trimmed flushed entries: a table flushed earlier (or never) is read past them.
  if (!lake.gateway.readLog(HLC_ZERO, 1).ok) met.trimmed++;
  for (const table of TABLES) {
    const union = unwrapOrThrow(await reader.read(table));
    expect(normalise(union.rows), `union of ${table}`).toEqual(replicaRows(lake.sent, table));
  }
}

/** As of HLCs around every wall, the history folds to a replica fed the deltas up to them. */
async function checkHlcs(lake: Harness, walls: readonly number[]): Promise<void> {
  const traveller = new TimeTraveller({ ...lake, namespace: NAMESPACE });
  const flushed = lake.flushed();
  for (const table of TABLES) {
    const read = await traveller.history(table);
    if (lake.snapshots.size === 0) {
      expect(read.ok, "no history before the first flush").toBe(false);
      continue;
    }
    const tableHistory = unwrapOrThrow(read);
    for (const wall of walls) {
      const bound = hlcOf(wall);
      const before = flushed.filter((d) => d.hlc <= bound);
      const asOf = unwrapOrThrow(tableHistory.asOf(bound));
      expect(normalise(asOf.rows), `${table} as of wall ${wall}`).toEqual(
        replicaRows(before, table),
      );
      expect(asOf.states).toEqual(replicaStates(before, table));
    }
  }
}

const code = (result: Result<unknown, LakeSyncError>) => (result.ok ? "ok" : result.error.code);

/** Every recorded snapshot reads as committed (by id and by time), or is `BEYOND_RETENTION`. */
async function checkSnapshots(lake: Harness): Promise<void> {
  const traveller = new TimeTraveller({ ...lake, namespace: NAMESPACE });
  for (const [snapshotId, recorded] of lake.snapshots) {
    const byId = await traveller.asOfSnapshot(recorded.table, { snapshotId });
    const byTime = await traveller.asOfSnapshot(recorded.table, {
      asOfTimestampMs: recorded.timestampMs,
    });
    if (lake.expired.has(snapshotId)) {
      met.expired++;
      expect(code(byId), `expired snapshot ${snapshotId} by id`).toBe("BEYOND_RETENTION");
      expect(code(byTime), `expired snapshot ${snapshotId} by time`).toBe("BEYOND_RETENTION");
      continue;
    }
    if (recorded.operation === "replace") met.compacted++;
    else if ([...lake.snapshots.values()].some((s) => s.operation === "replace"))
      met.flushedAfterCompaction++;
    const read = unwrapOrThrow(byId);
    expect(read.snapshotId).toBe(snapshotId);
    expect(normalise(read.rows), `snapshot ${snapshotId}`).toEqual(recorded.rows);
    expect(unwrapOrThrow(byTime).snapshotId, `snapshot ${snapshotId} by time`).toBe(snapshotId);
  }
}

/** The live rows DuckDB's views hold, per table the client registered. */
async function duckRows(client: DuckDBClient): Promise<Record<string, Rows>> {
  const out: Record<string, Rows> = {};
  for (const { name } of client.tables) {
    const result = unwrapOrThrow(await client.query(`SELECT * FROM ${name} ORDER BY row_id`));
    out[name] = normalise(result.rows.map((r) => [String(r.row_id), r]));
  }
  return out;
}

/**
 * With everything flushed, DuckDB's views hold what a replica fed every delta holds, and the
 * same after a compaction of the namespace (the client refreshed onto its snapshots).
 */
async function checkDuckDB(lake: Harness): Promise<void> {
  await lake.flush();
  const opened = await DuckDBClient.open({ ...lake, namespace: NAMESPACE });
  // Before the first flush the namespace does not exist yet.
  if (!opened.ok && opened.error.code === "NO_SUCH_NAMESPACE" && lake.snapshots.size === 0) return;
  const client = unwrapOrThrow(opened);
  try {
    const before = await duckRows(client);
    for (const table of TABLES)
      expect(before[table] ?? {}, `DuckDB's ${table}`).toEqual(replicaRows(lake.sent, table));
    await lake.compact("namespace");
    unwrapOrThrow(await client.refresh());
    expect(await duckRows(client), "DuckDB after a compaction").toEqual(before);
  } finally {
    await client.close();
  }
}

describe("the analyst across compactions", () => {
  it("UnionReader equals a fully synced replica, and DuckDBClient the union once flushed, after any history of flushes, compactions and expiry", async () => {
    await fc.assert(
      fc.asyncProperty(history, compactionSettings, async (steps, compaction) => {
        const lake = await LakeHarness.open(compaction);
        try {
          for (const s of steps) {
            if (s.kind === "check") await checkUnion(lake);
            else await lake.run(s);
          }
          await checkUnion(lake);
          await checkDuckDB(lake);
          await checkUnion(lake);
          await lake.expire(1);
          await checkUnion(lake);
        } finally {
          await lake.close();
        }
      }),
      runs(20),
    );
    if (Number(process.env.FC_RUNS ?? 20) >= 10)
      expect(met.trimmed, "union reads of a trimmed log").toBeGreaterThan(0);
  }, 300_000);

  it("TimeTraveller as of any HLC equals a replica fed the deltas up to it, and as of every snapshot the rows it committed, through compactions and expiry", async () => {
    await fc.assert(
      fc.asyncProperty(
        history,
        compactionSettings,
        fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 4 }),
        async (steps, compaction, walls) => {
          const lake = await LakeHarness.open(compaction);
          try {
            for (const s of steps) {
              if (s.kind !== "check") await lake.run(s);
              else {
                await checkHlcs(lake, walls);
                await checkSnapshots(lake);
              }
            }
            await lake.flush();
            await checkHlcs(lake, walls);
            await lake.compact("namespace");
            await checkHlcs(lake, walls);
            await checkSnapshots(lake);
            await lake.expire(1);
            await checkHlcs(lake, walls);
            await checkSnapshots(lake);
          } finally {
            await lake.close();
          }
        },
      ),
      runs(20),
    );
    if (Number(process.env.FC_RUNS ?? 20) >= 10) {
      expect(met.expired, "expired snapshots read").toBeGreaterThan(0);
      expect(met.compacted, "compactions' snapshots read").toBeGreaterThan(0);
      expect(
        met.flushedAfterCompaction,
        "flushes' snapshots read after a compaction",
      ).toBeGreaterThan(0);
    }
  }, 300_000);
});
