import "@lakesync/parquet/node";
import { HLC_ZERO, type LakeSyncError, type Result, unwrapOrThrow } from "@lakesync/core";
import { readParquetToDeltas } from "@lakesync/parquet";
import { describe, expect, it } from "vitest";
import { collectCheckpoint } from "../checkpoint/build-checkpoint.js";
import { delta, FakeLake, hlcAt, ManualClock, openGateway as open } from "./fixtures.js";

describe("SyncGateway flush", () => {
  it("writes one Parquet file per flush at deltas/{date}/{gateway}/{min}-{max}.parquet", async () => {
    const lake = new FakeLake();
    const { gateway, clock } = await open({ target: { kind: "lake", adapter: lake } });
    const deltas = [1, 2, 3].map((i) =>
      delta({
        rowId: `t${i}`,
        hlc: hlcAt(clock, 0, i),
        columns: { title: `#${i}`, done: i === 2 },
      }),
    );
    await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO });
    const report = unwrapOrThrow(await gateway.flush());
    expect(report?.deltaCount).toBe(3);
    const [path] = [...lake.objects.keys()];
    expect(path).toMatch(/^deltas\/2025-06-15\/gw1\/\d+-\d+\.parquet$/);
    const back = unwrapOrThrow(
      readParquetToDeltas(lake.objects.get(path ?? "") ?? new Uint8Array()),
    );
    expect(back).toEqual(deltas);
    expect(gateway.stats().bufferedDeltas).toBe(0);
    expect(unwrapOrThrow(await gateway.flush())).toBeNull();
  });

  it("writes a versioned JSON envelope when configured", async () => {
    const lake = new FakeLake();
    const { gateway, clock } = await open({
      target: { kind: "lake", adapter: lake, format: "json" },
    });
    await gateway.handlePush({
      clientId: "client-a",
      deltas: [delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "x" } })],
      lastSeenHlc: HLC_ZERO,
    });
    unwrapOrThrow(await gateway.flush());
    const [[path, bytes] = ["", new Uint8Array()]] = [...lake.objects];
    expect(path).toMatch(/\.json$/);
    const envelope = JSON.parse(new TextDecoder().decode(bytes));
    expect(envelope).toMatchObject({ version: 1, gatewayId: "gw1", deltaCount: 1 });
    expect(envelope.deltas[0]).toMatchObject({
      rowId: "t1",
      columns: [{ column: "title", value: "x" }],
    });
  });

  it("keeps the buffer when the lake fails, backs off, and flushes everything once it recovers", async () => {
    const lake = new FakeLake();
    lake.failing = true;
    const clock = new ManualClock();
    const { gateway } = await open(
      {
        target: { kind: "lake", adapter: lake },
        autoFlush: { maxBytes: 1, onPush: false },
        retry: { baseMs: 1000 },
      },
      clock,
    );
    await gateway.handlePush({
      clientId: "client-a",
      deltas: [delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "x" } })],
      lastSeenHlc: HLC_ZERO,
    });
    const failed = await gateway.tick();
    expect(!failed.ok && failed.error.code).toBe("FLUSH_FAILED");
    expect(gateway.stats()).toMatchObject({
      bufferedDeltas: 1,
      lastFlushError: expect.stringContaining("lake is down"),
    });
    lake.failing = false;
    expect(unwrapOrThrow(await gateway.tick())).toBeNull(); // still backing off
    clock.ms += 1000;
    expect(unwrapOrThrow(await gateway.tick())?.deltaCount).toBe(1);
    expect(lake.objects.size).toBe(1);
  });

  it("flushes automatically once the byte threshold is passed", async () => {
    const lake = new FakeLake();
    const { gateway, clock } = await open({
      target: { kind: "lake", adapter: lake },
      autoFlush: { maxBytes: 500 },
    });
    for (let i = 0; i < 10; i++)
      await gateway.handlePush({
        clientId: "client-a",
        deltas: [
          delta({ rowId: `t${i}`, hlc: hlcAt(clock, 0, i), columns: { title: "x".repeat(50) } }),
        ],
        lastSeenHlc: HLC_ZERO,
      });
    await gateway.flush();
    expect(lake.objects.size).toBeGreaterThanOrEqual(2);
  });

  it("flushes column-level upserts and tombstones to a database target", async () => {
    const calls: string[] = [];
    const adapter = {
      ensureTable: async () => unwrapOk(calls.push("ensure")),
      putRows: async (table: string, rows: readonly { rowId: string }[]) =>
        unwrapOk(calls.push(`put ${table} ${rows.map((r) => r.rowId).join(",")}`)),
      deleteRows: async (table: string, rows: readonly { rowId: string }[]) =>
        unwrapOk(calls.push(`delete ${table} ${rows.map((r) => r.rowId).join(",")}`)),
    };
    const { gateway, clock } = await open({ target: { kind: "database", adapter } });
    await gateway.handlePush({
      clientId: "client-a",
      deltas: [
        delta({ rowId: "t1", hlc: hlcAt(clock, 0, 1), columns: { title: "x" } }),
        delta({ rowId: "t2", hlc: hlcAt(clock, 0, 2), columns: { title: "y" } }),
        delta({ op: "DELETE", rowId: "t2", hlc: hlcAt(clock, 0, 3) }),
      ],
      lastSeenHlc: HLC_ZERO,
    });
    unwrapOrThrow(await gateway.flush());
    expect(calls).toEqual(["ensure", "put todos t1,t2", "delete todos t2"]);
  });

  it("drops flushed entries beyond the retention and answers older cursors with CURSOR_EXPIRED", async () => {
    const lake = new FakeLake();
    const { gateway, clock } = await open({
      target: { kind: "lake", adapter: lake },
      logRetention: 2,
    });
    const deltas = [1, 2, 3, 4].map((i) =>
      delta({ rowId: `t${i}`, hlc: hlcAt(clock, 0, i), columns: { title: "x" } }),
    );
    // One push each: a durable log trims whole group commits.
    for (const d of deltas)
      await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    unwrapOrThrow(await gateway.flush());
    const expired = await gateway.handlePull({ clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 });
    expect(!expired.ok && expired.error.code).toBe("CURSOR_EXPIRED");
    const chunks = unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await gateway.checkpoint())),
    );
    expect(
      chunks.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : [])),
    ).toHaveLength(4);
    const fromCheckpoint = await gateway.handlePull({
      clientId: "r",
      sinceHlc: chunks[0]?.snapshotHlc ?? HLC_ZERO,
      maxDeltas: 0,
    });
    expect(fromCheckpoint.ok && fromCheckpoint.value.deltas).toEqual([]);
  });
});

function unwrapOk(_ignored: unknown): Result<void, LakeSyncError> {
  return { ok: true, value: undefined };
}

describe("SyncGateway composite flush", () => {
  it("routes each table of a batch to its own adapter", async () => {
    const lake = new FakeLake();
    const rows: string[] = [];
    const db = {
      ensureTable: async () => unwrapOk(null),
      putRows: async (table: string) => unwrapOk(rows.push(table)),
      deleteRows: async () => unwrapOk(null),
    };
    const adapterFor = (table: string) => (table === "todos" ? db : lake);
    const { gateway, clock } = await open({
      target: { kind: "composite", adapter: { adapterFor } },
      schemaPolicy: "additive",
    });
    await gateway.handlePush({
      clientId: "client-a",
      deltas: [
        delta({ rowId: "t1", hlc: hlcAt(clock, 0, 1), columns: { title: "x" } }),
        delta({
          table: "events",
          rowId: "e1",
          hlc: hlcAt(clock, 0, 2),
          columns: { kind: "click" },
        }),
      ],
      lastSeenHlc: HLC_ZERO,
    });
    const report = unwrapOrThrow(await gateway.flush());
    expect(rows).toEqual(["todos"]);
    expect(report?.paths).toHaveLength(1);
    expect([...lake.objects.keys()][0]).toMatch(/\.parquet$/);
  });
});
