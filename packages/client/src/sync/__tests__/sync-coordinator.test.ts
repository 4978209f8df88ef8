import { HLC, type TableSchema, TestClock, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { readRow } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { SyncTracker } from "../../tracker/sync-tracker.js";
import { backoffDelay } from "../backoff.js";
import { type Scheduler, SyncCoordinator, type SyncStatusEvent } from "../sync-coordinator.js";
import { FakeGateway } from "./fake-gateway.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
  ],
};

/** A scheduler that records timers instead of running them. */
class ManualScheduler implements Scheduler {
  readonly timers: { fn: () => void; ms: number }[] = [];
  setTimeout(fn: () => void, ms: number) {
    const timer = { fn, ms };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown) {
    const i = this.timers.indexOf(handle as { fn: () => void; ms: number });
    if (i >= 0) this.timers.splice(i, 1);
  }
}

async function client(
  gateway: FakeGateway,
  clientId: string,
  clock: TestClock,
  scheduler = new ManualScheduler(),
) {
  const db = unwrapOrThrow(await LocalDB.open({ name: clientId, persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  const queue = new MemoryQueue({ now: clock.read });
  const hlc = new HLC({ wallClock: clock.read });
  const tracker = new SyncTracker({ db, queue, clock: hlc, clientId });
  const sync = new SyncCoordinator({
    db,
    queue,
    transport: gateway.transport(),
    clock: hlc,
    clientId,
    scheduler,
    backoff: { random: () => 0.5 },
  });
  const events: SyncStatusEvent[] = [];
  sync.onStatus((e) => events.push(e));
  return { db, queue, tracker, sync, events, scheduler };
}

describe("SyncCoordinator", () => {
  it("pushes local writes and another client pulls them", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    const b = await client(gateway, "b", clock);
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "Milk", done: false }));
    unwrapOrThrow(await a.sync.syncNow());
    unwrapOrThrow(await b.sync.syncNow());
    expect(unwrapOrThrow(readRow(b.db, "todos", "t1"))).toEqual({
      id: "t1",
      title: "Milk",
      done: false,
    });
    expect(unwrapOrThrow(await a.queue.depth())).toBe(0);
  });

  it("edits of different columns on two clients merge on both", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    const b = await client(gateway, "b", clock);
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "Milk", done: false }));
    await a.sync.syncNow();
    await b.sync.syncNow();
    clock.advance(1);
    unwrapOrThrow(await a.tracker.update("todos", "t1", { title: "Oat milk" }));
    unwrapOrThrow(await b.tracker.update("todos", "t1", { done: true }));
    await a.sync.syncNow();
    await b.sync.syncNow();
    await a.sync.syncNow();
    const expected = { id: "t1", title: "Oat milk", done: true };
    expect(unwrapOrThrow(readRow(a.db, "todos", "t1"))).toEqual(expected);
    expect(unwrapOrThrow(readRow(b.db, "todos", "t1"))).toEqual(expected);
  });

  it("pulls every page when there are more deltas than one page holds", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    for (let i = 0; i < 2_500; i++)
      unwrapOrThrow(await a.tracker.insert("todos", { id: `t${i}`, title: `${i}`, done: false }));
    await a.sync.syncNow();
    const b = await client(gateway, "b", clock);
    unwrapOrThrow(await b.sync.syncNow());
    expect(unwrapOrThrow(b.db.query<{ n: number }>("SELECT count(*) AS n FROM todos"))[0]?.n).toBe(
      2_500,
    );
  });

  it("a failed push keeps the outbox and reports offline, then drains when the gateway is back", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "x", done: false }));
    gateway.failures.push("network");
    expect((await a.sync.syncNow()).ok).toBe(false);
    expect(a.events.at(-1)).toMatchObject({ status: "offline", outboxDepth: 1 });
    unwrapOrThrow(await a.sync.syncNow());
    expect(a.events.at(-1)).toMatchObject({ status: "synced", outboxDepth: 0 });
  });

  it("HTTP errors and garbage replies report error status and lose nothing", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "x", done: false }));
    for (const failure of ["http500", "garbage"] as const) {
      gateway.failures.push(failure);
      await a.sync.syncNow();
      expect(a.events.at(-1)).toMatchObject({ status: "error", outboxDepth: 1 });
    }
    unwrapOrThrow(await a.sync.syncNow());
    expect(gateway.log).toHaveLength(1);
  });

  it("a lost acknowledgement re-sends, and the gateway keeps the delta once", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "x", done: false }));
    gateway.failures.push("lostAck");
    await a.sync.syncNow();
    unwrapOrThrow(await a.sync.syncNow());
    expect(gateway.receivedPushes).toBe(2);
    expect(gateway.log).toHaveLength(1);
    expect(unwrapOrThrow(await a.queue.depth())).toBe(0);
  });

  it("after a failure the next cycle is scheduled with growing backoff; success returns to the interval", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    gateway.failures.push("network", "network");
    a.sync.start();
    await a.sync.syncNow();
    await a.sync.syncNow();
    expect(a.scheduler.timers.at(-1)?.ms).toBe(backoffDelay(2, { random: () => 0.5 }));
    await a.sync.syncNow();
    expect(a.scheduler.timers.at(-1)?.ms).toBe(10_000);
    a.sync.stop();
    expect(a.scheduler.timers).toHaveLength(0);
  });

  it("a realtime notification triggers a pull", async () => {
    const gateway = new FakeGateway();
    const clock = new TestClock();
    const a = await client(gateway, "a", clock);
    const b = await client(gateway, "b", clock);
    b.sync.start();
    const synced = new Promise<void>((resolve) => {
      b.sync.onStatus((e) => {
        if (e.status === "synced" && unwrapOrThrow(readRow(b.db, "todos", "t1")) !== null)
          resolve();
      });
    });
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "live", done: false }));
    await a.sync.syncNow();
    await synced;
    b.sync.stop();
  });
});

describe("backoffDelay", () => {
  it("doubles up to the ceiling and stays within jitter bounds", () => {
    expect(backoffDelay(1, { random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { random: () => 0.999999 })).toBe(1_000);
    expect(backoffDelay(3, { random: () => 0 })).toBe(2_000);
    expect(backoffDelay(50, { random: () => 0.999999 })).toBe(60_000);
  });
});
