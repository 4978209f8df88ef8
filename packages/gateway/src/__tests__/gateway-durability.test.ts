import "@lakesync/parquet/node";
import { Err, HLC_ZERO, LakeSyncError, type Result, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { SyncGateway } from "../gateway/sync-gateway.js";
import type { LogEntry } from "../log/log-entry.js";
import type { RowChange } from "../push/row-overlay.js";
import { delta, hlcAt, openGateway as open, pullAll, testStore } from "./fixtures.js";

describe("SyncGateway durability", () => {
  it("restores buffer, rows and cursor after a restart over the same store; a re-push stays a no-op", async () => {
    const store = testStore();
    const { gateway, clock } = await open({ store });
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "kept" } });
    const ack = unwrapOrThrow(
      await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO }),
    );
    const restarted = unwrapOrThrow(
      await SyncGateway.open({ gatewayId: "gw1", store, now: clock.now, autoFlush: false }),
    );
    expect(restarted.stats().bufferedDeltas).toBe(1);
    expect((await pullAll(restarted)).deltas).toEqual([d]);
    const again = unwrapOrThrow(
      await restarted.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO }),
    );
    expect(again.accepted).toBe(0);
    expect(again.serverHlc > ack.serverHlc).toBe(true);
  });

  it("does not acknowledge (or apply) a push the store could not make durable", async () => {
    const store = testStore();
    store.append = async (_entries: readonly LogEntry[]): Promise<Result<void, LakeSyncError>> =>
      Err(new LakeSyncError("IO", "disk full"));
    const { gateway, clock } = await open({ store });
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "x" } });
    const result = await gateway.handlePush({
      clientId: "client-a",
      deltas: [d],
      lastSeenHlc: HLC_ZERO,
    });
    expect(!result.ok && result.error.code).toBe("STORE_UNAVAILABLE");
    expect(gateway.stats()).toMatchObject({ bufferedDeltas: 0, logEntries: 0, rows: 0 });
  });
});

describe("SyncGateway group commit", () => {
  it("stores pushes that arrive together with one append, and acknowledges each", async () => {
    const store = testStore();
    let appends = 0;
    const append = store.append.bind(store);
    store.append = async (entries: readonly LogEntry[], changes: readonly RowChange[]) => {
      appends++;
      return append(entries, changes);
    };
    const { gateway, clock } = await open({ store });
    const pushes = [1, 2, 3, 4, 5].map((i) =>
      gateway.handlePush({
        clientId: `c${i}`,
        deltas: [
          delta({
            rowId: `t${i}`,
            clientId: `c${i}`,
            hlc: hlcAt(clock, 0, i),
            columns: { title: `#${i}` },
          }),
        ],
        lastSeenHlc: HLC_ZERO,
      }),
    );
    const acks = await Promise.all(pushes);
    expect(acks.map((a) => a.ok && a.value.accepted)).toEqual([1, 1, 1, 1, 1]);
    expect(appends).toBeLessThanOrEqual(2);
    expect((await pullAll(gateway)).deltas.map((d) => d.rowId)).toEqual([
      "t1",
      "t2",
      "t3",
      "t4",
      "t5",
    ]);
  });

  it("a bad push in a group is refused alone; a store failure refuses the whole group and applies nothing", async () => {
    const store = testStore();
    const { gateway, clock } = await open({ store });
    const good = (i: number) =>
      gateway.handlePush({
        clientId: "c",
        deltas: [
          delta({
            rowId: `t${i}`,
            clientId: "c",
            hlc: hlcAt(clock, 0, i),
            columns: { title: "x" },
          }),
        ],
        lastSeenHlc: HLC_ZERO,
      });
    const bad = gateway.handlePush({
      clientId: "c",
      deltas: [delta({ rowId: "bad", clientId: "c", hlc: hlcAt(clock), columns: { nope: 1 } })],
      lastSeenHlc: HLC_ZERO,
    });
    const [a, b, c] = await Promise.all([good(1), bad, good(2)]);
    expect([a.ok, b.ok, c.ok]).toEqual([true, false, true]);
    store.append = async () => Err(new LakeSyncError("IO", "disk full"));
    const failed = await Promise.all([good(3), good(4)]);
    expect(failed.map((r) => !r.ok && r.error.code)).toEqual([
      "STORE_UNAVAILABLE",
      "STORE_UNAVAILABLE",
    ]);
    expect(gateway.stats()).toMatchObject({ logEntries: 2, rows: 2 });
  });
});
