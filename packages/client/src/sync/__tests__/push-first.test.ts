/**
 * A cycle after a local write pushes first, and skips the pull only while the realtime
 * subscription is live and every message since the last pull was applied (ADR-018); any doubt
 * brings the pull back.
 */
import { HLC, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { readRow } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { SyncTracker } from "../../tracker/sync-tracker.js";
import { type Scheduler, SyncCoordinator } from "../sync-coordinator.js";
import { MessagingGateway, type MessagingTransportOptions } from "./messaging-gateway.js";

const todos: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };

/** A scheduler whose timers fire only when the test says. */
class ManualScheduler implements Scheduler {
  readonly timers = new Map<number, () => void>();
  #next = 0;
  setTimeout = (fn: () => void) => {
    const id = ++this.#next;
    this.timers.set(id, fn);
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number);
  };
  fire(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const fn of due) fn();
  }
}

/** Lets every cycle started so far (and those they start) run to its end. */
async function idle(sync: SyncCoordinator): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    quiet = sync.status === "syncing" ? 0 : quiet + 1;
  }
}

async function client(
  gateway: MessagingGateway,
  id: string,
  options: MessagingTransportOptions = {},
) {
  const db = unwrapOrThrow(await LocalDB.open({ name: id, persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  const queue = new MemoryQueue();
  const clock = new HLC();
  const scheduler = new ManualScheduler();
  const sync = new SyncCoordinator({
    db,
    queue,
    transport: gateway.transport(id, options),
    clock,
    clientId: id,
    scheduler,
  });
  const tracker = new SyncTracker({ db, queue, clock, clientId: id });
  sync.start();
  await idle(sync);
  const title = (rowId: string) =>
    (unwrapOrThrow(readRow(db, "todos", rowId)) as { title?: string } | null)?.title;
  /** Writes a row and runs the cycle a write asks for; returns the gateway calls it made. */
  const write = async (rowId: string, text: string) => {
    unwrapOrThrow(await tracker.insert("todos", { id: rowId, title: text }));
    const from = gateway.calls.length;
    unwrapOrThrow(await sync.syncNow({ afterWrite: true }));
    await idle(sync);
    return gateway.calls.slice(from);
  };
  return { db, sync, tracker, scheduler, title, write };
}

describe("the cycle after a local write", () => {
  it("only pushes while the subscription is live and every message was applied", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const b = await client(gateway, "b");
    expect(await b.write("t1", "from b")).toEqual(["push:b"]);
    gateway.deliver("a");
    expect(a.title("t1")).toBe("from b");
    expect(await a.write("t2", "from a")).toEqual(["push:a"]);
    gateway.deliver("b");
    gateway.deliver("a");
    expect(b.title("t2")).toBe("from a");
    // Each replica's cursor followed the log through messages alone (its own pushes included).
    expect(a.sync.lastSyncedHlc()).toBe(gateway.head);
    expect(b.sync.lastSyncedHlc()).toBe(gateway.head);
  });

  it("a cycle asked for without afterWrite still pulls, then pushes", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "x" }));
    const from = gateway.calls.length;
    unwrapOrThrow(await a.sync.syncNow());
    expect(gateway.calls.slice(from)).toEqual(["pull:a", "push:a"]);
  });

  it("pushes, then pulls, over a transport that cannot say whether it is connected", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a", { reportsConnection: false });
    expect(await a.write("t1", "x")).toEqual(["push:a", "pull:a"]);
    expect(await a.write("t1", "y")).toEqual(["push:a", "pull:a"]);
  });

  it("pushes, then pulls, while the subscription is down; only pushes again once it is back", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const b = await client(gateway, "b");
    gateway.disconnect("a");
    await b.write("t1", "missed by a");
    expect(await a.write("t2", "x")).toEqual(["push:a", "pull:a"]);
    expect(a.title("t1")).toBe("missed by a");
    // Connecting again asks for a pull; after it the replica is current.
    gateway.reconnect("a");
    await idle(a.sync);
    expect(await a.write("t3", "y")).toEqual(["push:a"]);
  });

  it("after a bare 'changed' the replica pulls, and a write's cycle only pushes again after that pull", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const b = await client(gateway, "b");
    await b.write("t1", "too large to carry");
    gateway.bareChanged("a");
    const from = gateway.calls.length;
    gateway.deliver("a");
    await idle(a.sync);
    expect(gateway.calls.slice(from)).toEqual(["pull:a"]);
    expect(a.title("t1")).toBe("too large to carry");
    expect(await a.write("t2", "x")).toEqual(["push:a"]);
  });

  it("a message that does not follow on the cursor (a gap) brings the pull back", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const b = await client(gateway, "b");
    await b.write("t1", "lost");
    await b.write("t2", "next");
    gateway.drop("a");
    const from = gateway.calls.length;
    gateway.deliver("a");
    await idle(a.sync);
    expect(gateway.calls.slice(from)).toEqual(["pull:a"]);
    expect([a.title("t1"), a.title("t2")]).toEqual(["lost", "next"]);
    expect(await a.write("t3", "x")).toEqual(["push:a"]);
  });

  it("a gap in a message kept during a push-only cycle makes the next cycle pull", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const b = await client(gateway, "b");
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "x" }));
    const release = gateway.holdPushes("a");
    const cycle = a.sync.syncNow({ afterWrite: true });
    await b.write("t2", "lost");
    await b.write("t3", "during");
    gateway.drop("a");
    gateway.deliver("a");
    // Kept while a's push is under way, applied (and found to leave a gap) after it.
    expect(a.title("t3")).toBeUndefined();
    const from = gateway.calls.length;
    release();
    unwrapOrThrow(await cycle);
    await idle(a.sync);
    expect(gateway.calls.slice(from)).toEqual(["pull:a"]);
    expect([a.title("t2"), a.title("t3")]).toEqual(["lost", "during"]);
  });

  it("a bare 'changed' during a push-only cycle makes the next cycle pull", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const b = await client(gateway, "b");
    unwrapOrThrow(await a.tracker.insert("todos", { id: "t1", title: "x" }));
    const release = gateway.holdPushes("a");
    const cycle = a.sync.syncNow({ afterWrite: true });
    await b.write("t2", "during");
    gateway.bareChanged("a");
    gateway.deliver("a");
    const from = gateway.calls.length;
    release();
    unwrapOrThrow(await cycle);
    await idle(a.sync);
    // The cycle itself pulls after its push (the follow-up cycle the message asked for as well).
    expect(gateway.calls.slice(from)[0]).toBe("pull:a");
    expect(a.title("t2")).toBe("during");
  });

  it("push-only cycles do not put off the timer's pull", async () => {
    const gateway = new MessagingGateway();
    const a = await client(gateway, "a");
    const timers = [...a.scheduler.timers.keys()];
    expect(timers).toHaveLength(1);
    await a.write("t1", "x");
    await a.write("t2", "y");
    expect([...a.scheduler.timers.keys()]).toEqual(timers);
    const from = gateway.calls.length;
    a.scheduler.fire();
    await idle(a.sync);
    // The outbox is empty: the timer's cycle pulls and has nothing to push.
    expect(gateway.calls.slice(from)).toEqual(["pull:a"]);
    expect(a.scheduler.timers.size).toBe(1);
  });
});
