import "@lakesync/parquet/node";
import {
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  LakeSyncError,
  type Result,
  unwrapOrThrow,
} from "@lakesync/core";
import { readParquetToDeltas } from "@lakesync/parquet";
import { describe, expect, it } from "vitest";
import type { SyncGatewayOptions } from "../gateway/options.js";
import { SyncGateway } from "../gateway/sync-gateway.js";
import type { LogEntry } from "../log/log-entry.js";
import { MemoryGatewayStore } from "../store/memory-store.js";
import { delta, FakeLake, hlcAt, ManualClock, OWNER_RULES, TODOS } from "./fixtures.js";

async function open(options: Partial<SyncGatewayOptions> = {}, clock = new ManualClock()) {
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: "gw1", now: clock.now, autoFlush: false, ...options }),
  );
  unwrapOrThrow(await gateway.setSchema(TODOS));
  return { gateway, clock };
}

const pullAll = async (gateway: SyncGateway, since: HLCTimestamp = HLC_ZERO, claims = {}) =>
  unwrapOrThrow(
    await gateway.handlePull({ clientId: "reader", sinceHlc: since, maxDeltas: 0 }, claims),
  );

describe("SyncGateway push and pull", () => {
  it("acknowledges a push with a server HLC and serves the deltas back to a pull", async () => {
    const { gateway, clock } = await open();
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "milk", done: false } });
    const ack = unwrapOrThrow(
      await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO }),
    );
    expect(ack.accepted).toBe(1);
    expect(ack.serverHlc > d.hlc).toBe(true);
    const page = await pullAll(gateway);
    expect(page.deltas).toEqual([d]);
    expect(page.hasMore).toBe(false);
    const again = await pullAll(gateway, page.serverHlc);
    expect(again.deltas).toEqual([]);
    expect(again.serverHlc).toBe(page.serverHlc);
  });

  it("a re-push of the same deltas is a no-op (deduplicated)", async () => {
    const { gateway, clock } = await open();
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "milk" } });
    await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    const second = unwrapOrThrow(
      await gateway.handlePush({ clientId: "client-a", deltas: [d, d], lastSeenHlc: HLC_ZERO }),
    );
    expect(second.accepted).toBe(0);
    expect((await pullAll(gateway)).deltas).toHaveLength(1);
  });

  it("a late delta never overwrites a newer column (last writer wins per column)", async () => {
    const { gateway, clock } = await open();
    const newer = delta({
      rowId: "t1",
      clientId: "b",
      hlc: hlcAt(clock, 0, 5),
      columns: { title: "new" },
    });
    const older = delta({
      rowId: "t1",
      clientId: "a",
      hlc: hlcAt(clock, 0, 1),
      columns: { title: "old", done: true },
    });
    await gateway.handlePush({ clientId: "b", deltas: [newer], lastSeenHlc: HLC_ZERO });
    const ack = unwrapOrThrow(
      await gateway.handlePush({ clientId: "a", deltas: [older], lastSeenHlc: HLC_ZERO }),
    );
    expect(ack.accepted).toBe(1); // `done` is new information
    const checkpoint = unwrapOrThrow(await gateway.checkpoint());
    const deltas = checkpoint.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    const title = deltas.flatMap((d) => d.columns).find((c) => c.column === "title");
    expect(title?.value).toBe("new");
  });

  it("rejects a clock more than 5 s ahead and applies nothing of that push", async () => {
    const { gateway, clock } = await open();
    const ok = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "fine" } });
    const ahead = delta({ rowId: "t2", hlc: hlcAt(clock, 60_000), columns: { title: "future" } });
    const result = await gateway.handlePush({
      clientId: "client-a",
      deltas: [ok, ahead],
      lastSeenHlc: HLC_ZERO,
    });
    expect(!result.ok && result.error.code).toBe("CLOCK_DRIFT");
    expect((await pullAll(gateway)).deltas).toEqual([]);
  });

  it("rejects unknown tables, unknown columns and wrongly typed values under the strict policy", async () => {
    const { gateway, clock } = await open();
    const push = (d: ReturnType<typeof delta>) =>
      gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    const codes = await Promise.all([
      push(delta({ table: "nope", rowId: "x", hlc: hlcAt(clock), columns: { a: 1 } })),
      push(delta({ rowId: "x", hlc: hlcAt(clock), columns: { colour: "red" } })),
      push(delta({ rowId: "x", hlc: hlcAt(clock), columns: { done: "yes" } })),
    ]);
    expect(codes.map((r) => !r.ok && r.error.code)).toEqual([
      "SCHEMA_MISMATCH",
      "SCHEMA_MISMATCH",
      "SCHEMA_MISMATCH",
    ]);
    expect(gateway.stats().logEntries).toBe(0);
  });

  it("grows the schema under the additive policy and serves the new version", async () => {
    const { gateway, clock } = await open({ schemaPolicy: "additive" });
    const before = gateway.schemas().version;
    await gateway.handlePush({
      clientId: "client-a",
      deltas: [
        delta({
          table: "notes",
          rowId: "n1",
          hlc: hlcAt(clock),
          columns: { body: "hi", stars: 3 },
        }),
      ],
      lastSeenHlc: HLC_ZERO,
    });
    const after = gateway.schemas();
    expect(after.version).toBeGreaterThan(before);
    expect(after.tables.find((t) => t.table === "notes")?.columns).toEqual([
      { name: "body", type: "string" },
      { name: "stars", type: "number" },
    ]);
  });

  it("refuses a delta whose clientId is not the pusher's, and oversized pushes", async () => {
    const { gateway, clock } = await open({ maxPushDeltas: 2 });
    const d = delta({
      rowId: "t1",
      clientId: "mallory",
      hlc: hlcAt(clock),
      columns: { title: "x" },
    });
    const spoof = await gateway.handlePush({
      clientId: "client-a",
      deltas: [d],
      lastSeenHlc: HLC_ZERO,
    });
    expect(!spoof.ok && spoof.error.code).toBe("INVALID_INPUT");
    const many = [1, 2, 3].map((i) =>
      delta({ rowId: `t${i}`, hlc: hlcAt(clock, 0, i), columns: { title: "x" } }),
    );
    const big = await gateway.handlePush({
      clientId: "client-a",
      deltas: many,
      lastSeenHlc: HLC_ZERO,
    });
    expect(!big.ok && big.error.code).toBe("TOO_MANY_DELTAS");
  });

  it("paginates pulls with hasMore and a cursor that never skips a delta", async () => {
    const { gateway, clock } = await open();
    const deltas = Array.from({ length: 25 }, (_, i) =>
      delta({ rowId: `t${i}`, hlc: hlcAt(clock, 0, i), columns: { title: `#${i}` } }),
    );
    await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO });
    const seen: string[] = [];
    let since = HLC_ZERO;
    for (let pages = 0; pages < 10; pages++) {
      const page = unwrapOrThrow(
        await gateway.handlePull({ clientId: "r", sinceHlc: since, maxDeltas: 10 }),
      );
      seen.push(...page.deltas.map((d) => d.rowId));
      since = page.serverHlc;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(deltas.map((d) => d.rowId));
  });

  it("filters pulls by sync rules, including updates and deletes that lack the filtered column", async () => {
    const { gateway, clock } = await open({ syncRules: OWNER_RULES });
    const alice = delta({
      rowId: "a1",
      clientId: "c",
      hlc: hlcAt(clock, 0, 1),
      columns: { title: "A", owner: "alice" },
    });
    const bob = delta({
      rowId: "b1",
      clientId: "c",
      hlc: hlcAt(clock, 0, 2),
      columns: { title: "B", owner: "bob" },
    });
    const edit = delta({
      op: "UPDATE",
      rowId: "a1",
      clientId: "c",
      hlc: hlcAt(clock, 0, 3),
      columns: { done: true },
    });
    const gone = delta({ op: "DELETE", rowId: "b1", clientId: "c", hlc: hlcAt(clock, 0, 4) });
    await gateway.handlePush({
      clientId: "c",
      deltas: [alice, bob, edit, gone],
      lastSeenHlc: HLC_ZERO,
    });
    const forAlice = await pullAll(gateway, HLC_ZERO, { sub: "alice" });
    const forBob = await pullAll(gateway, HLC_ZERO, { sub: "bob" });
    expect(forAlice.deltas.map((d) => `${d.op} ${d.rowId}`)).toEqual(["INSERT a1", "UPDATE a1"]);
    expect(forBob.deltas.map((d) => `${d.op} ${d.rowId}`)).toEqual(["INSERT b1", "DELETE b1"]);
    expect((await pullAll(gateway, HLC_ZERO, {})).deltas).toEqual([]);
  });

  it("sync rules set through the admin call are validated and stored", async () => {
    const store = new MemoryGatewayStore();
    const { gateway } = await open({ store });
    const bad = await gateway.setSyncRules({
      version: 1,
      buckets: [{ name: "x", tables: [{ table: 3 }] }],
    });
    expect(bad.ok).toBe(false);
    unwrapOrThrow(await gateway.setSyncRules(OWNER_RULES));
    const reopened = unwrapOrThrow(
      await SyncGateway.open({ gatewayId: "gw1", store, autoFlush: false }),
    );
    expect(reopened.syncRules).toEqual(OWNER_RULES);
    expect(reopened.schemaOf("todos")).toEqual(TODOS);
  });

  it("notifies subscribers after a push that logged something", async () => {
    const { gateway, clock } = await open();
    const seen: string[][] = [];
    const stop = gateway.subscribe((n) => seen.push([...n.tables]));
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "x" } });
    await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    stop();
    expect(seen).toEqual([["todos"]]);
  });
});

describe("SyncGateway durability", () => {
  it("restores buffer, rows and cursor after a restart over the same store; a re-push stays a no-op", async () => {
    const store = new MemoryGatewayStore();
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
    const store = new MemoryGatewayStore();
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
    const store = new MemoryGatewayStore();
    let appends = 0;
    const append = store.append.bind(store);
    store.append = async (entries: readonly LogEntry[]) => {
      appends++;
      return append(entries);
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
    const store = new MemoryGatewayStore();
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
    await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO });
    unwrapOrThrow(await gateway.flush());
    const expired = await gateway.handlePull({ clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 });
    expect(!expired.ok && expired.error.code).toBe("CURSOR_EXPIRED");
    const chunks = unwrapOrThrow(await gateway.checkpoint());
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
