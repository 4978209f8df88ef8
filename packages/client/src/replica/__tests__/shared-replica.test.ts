import "fake-indexeddb/auto";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { MemorySnapshotStore } from "../../db/snapshot-store.js";
import { IDBQueue } from "../../queue/idb-queue.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { MemoryKeyValueStore } from "../../store/key-value-store.js";
import { FakeGateway } from "../../sync/__tests__/fake-gateway.js";
import { eventually, FakeTabs } from "../../tabs/__tests__/support/fake-tabs.js";
import type { SyncTransport } from "../../transport/sync-transport.js";
import { openReplicaEngine } from "../replica-engine.js";
import { hostReplica } from "../replica-host.js";
import { replicaClientId } from "../replica-identity.js";
import { SharedReplica } from "../shared-replica.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
  ],
};

let origins = 0;

/** One origin: shared storage (outbox, snapshots, ids), a gateway, and tabs that come and go. */
function origin() {
  const n = origins++;
  const tabs = new FakeTabs();
  const gateway = new FakeGateway();
  const snapshots = new MemorySnapshotStore();
  const ids = new MemoryKeyValueStore();
  const opened: string[] = [];
  let held: Promise<void> | undefined;
  let pushing = 0;
  /** The transport's pulls and pushes, in order. */
  const calls: string[] = [];
  let releaseHeld = () => {};
  /** Holds every push until `release()`: a sync caught in the middle. */
  const holdPushes = () => {
    held = new Promise((resolve) => {
      releaseHeld = resolve;
    });
  };
  const transport = (): SyncTransport => {
    const inner = gateway.transport();
    return {
      ...inner,
      pull: (request) => {
        calls.push("pull");
        return inner.pull(request);
      },
      push: async (request) => {
        calls.push("push");
        pushing++;
        if (held) await held;
        return inner.push(request);
      },
    };
  };
  const tab = (name: string) =>
    SharedReplica.open({
      name: `todos/alice/${n}`,
      autoSync: false,
      locks: tabs.locks(name),
      channels: tabs.channels(name),
      open: async () => {
        opened.push(name);
        const clientId = await replicaClientId({ gateway: "todos", user: "alice" }, { store: ids });
        if (!clientId.ok) return clientId;
        const queue = await IDBQueue.open({ name: `outbox-${n}` });
        if (!queue.ok) return queue;
        return openReplicaEngine({
          clientId: clientId.value,
          name: `todos-${n}`,
          transport: transport(),
          schemas: [todos],
          snapshots,
          queue: queue.value,
        });
      },
    });
  const outbox = async () => {
    const queue = unwrapOrThrow(await IDBQueue.open({ name: `outbox-${n}` }));
    const entries = unwrapOrThrow(await queue.peek(1_000));
    queue.close();
    return entries;
  };
  return {
    tabs,
    gateway,
    tab,
    opened,
    outbox,
    holdPushes,
    release: () => releaseHeld(),
    pushing: () => pushing,
    calls,
  };
}

const titles = (rows: { title?: unknown }[]) => rows.map((r) => String(r.title)).sort();

describe("a replica shared by the tabs of an origin", () => {
  it("a write in one tab reaches a live query in another without any gateway traffic", async () => {
    const o = origin();
    const a = o.tab("a");
    const b = o.tab("b");
    let seen: { title?: unknown }[] = [];
    b.watch<{ title?: unknown }>("SELECT title FROM todos", undefined, (rows) => {
      seen = rows;
    });
    unwrapOrThrow(await a.insert("todos", { id: "1", title: "from a", done: false }));
    await eventually(() => seen.length === 1);
    unwrapOrThrow(await b.insert("todos", { id: "2", title: "from b", done: false }));
    let seenByA: { title?: unknown }[] = [];
    a.watch<{ title?: unknown }>("SELECT title FROM todos", undefined, (rows) => {
      seenByA = rows;
    });
    await eventually(() => seenByA.length === 2);
    expect(titles(seenByA)).toEqual(["from a", "from b"]);
    expect(o.gateway.receivedPushes).toBe(0);
    await a.close();
    await b.close();
  });

  it("a tab's sync after a write asks the host to push first; a plain sync pulls first", async () => {
    const o = origin();
    const a = o.tab("a");
    const b = o.tab("b");
    unwrapOrThrow(await a.syncNow());
    unwrapOrThrow(await a.insert("todos", { id: "1", title: "milk", done: false }));
    o.calls.length = 0;
    unwrapOrThrow(await b.syncNow({ afterWrite: true }));
    // No realtime subscription says the replica is current, so the pull follows the push.
    expect(o.calls).toEqual(["push", "pull"]);
    unwrapOrThrow(await a.insert("todos", { id: "2", title: "bread", done: false }));
    o.calls.length = 0;
    unwrapOrThrow(await b.syncNow());
    expect(o.calls[0]).toBe("pull");
    expect(o.calls).toContain("push");
    await a.close();
    await b.close();
  });

  it("every tab shares one client id and one opened replica; a later tab syncs nothing itself", async () => {
    const o = origin();
    const a = o.tab("a");
    const b = o.tab("b");
    unwrapOrThrow(await a.insert("todos", { id: "1", title: "milk", done: false }));
    unwrapOrThrow(await b.syncNow());
    const pushes = o.gateway.receivedPushes;
    const c = o.tab("c");
    const rows = unwrapOrThrow(await c.query<{ title: string }>("SELECT title FROM todos"));
    expect(rows.map((r) => r.title)).toEqual(["milk"]);
    const ids = [
      unwrapOrThrow(await a.ready()),
      unwrapOrThrow(await b.ready()),
      unwrapOrThrow(await c.ready()),
    ];
    expect(new Set(ids).size).toBe(1);
    expect(o.opened).toEqual(["a"]);
    expect(o.gateway.receivedPushes).toBe(pushes);
    for (const t of [a, b, c]) await t.close();
  });

  it("the next tab takes over when the leader closes, with everything the leader held", async () => {
    const o = origin();
    const a = o.tab("a");
    const b = o.tab("b");
    unwrapOrThrow(await b.insert("todos", { id: "1", title: "kept", done: false }));
    await a.close();
    const rows = unwrapOrThrow(await b.query<{ title: string }>("SELECT title FROM todos"));
    expect(rows.map((r) => r.title)).toEqual(["kept"]);
    expect(o.opened).toEqual(["a", "b"]);
    expect(b.isLeader).toBe(true);
    await b.close();
  });

  it("a leader that crashes mid-push loses no outbox entry and repeats none", async () => {
    const o = origin();
    o.tab("a");
    const b = o.tab("b");
    for (const id of ["1", "2", "3"])
      unwrapOrThrow(await b.insert("todos", { id, title: `todo ${id}`, done: false }));
    o.holdPushes();
    const stuck = b.syncNow();
    // The leader claimed the entries and is waiting on the gateway when its tab dies.
    await eventually(() => o.pushing() === 1);
    o.tabs.crash("a");
    await eventually(() => b.isLeader);
    expect((await o.outbox()).map((e) => e.delta.rowId).sort()).toEqual(["1", "2", "3"]);
    o.release();
    unwrapOrThrow(await stuck);
    expect(unwrapOrThrow(await b.outboxDepth())).toBe(0);
    expect(o.gateway.log.map((e) => e.delta.rowId).sort()).toEqual(["1", "2", "3"]);
    const rows = unwrapOrThrow(await b.query<{ title: string }>("SELECT title FROM todos"));
    expect(rows).toHaveLength(3);
    await b.close();
  });

  it("a write whose answer died with the leader is not queued twice when sent again", async () => {
    const o = origin();
    o.tab("a");
    const b = o.tab("b");
    await b.ready();
    // The leader applies the write, then crashes before its answer leaves.
    o.tabs.drop = (message, from) =>
      from === "a" && (message as { kind?: string }).kind === "result";
    const write = b.insert("todos", { id: "1", title: "once", done: false });
    await eventually(async () => (await o.outbox()).length === 1);
    o.tabs.crash("a");
    const answer = unwrapOrThrow(await write);
    expect(answer).toBeNull();
    expect(await o.outbox()).toHaveLength(1);
    const rows = unwrapOrThrow(await b.query<{ title: string }>("SELECT title FROM todos"));
    expect(rows.map((r) => r.title)).toEqual(["once"]);
    await b.close();
  });

  it("calls fail with the leader's error when it cannot open the replica", async () => {
    const tabs = new FakeTabs();
    const open = async () => {
      const { LocalDBError } = await import("../../errors.js");
      return { ok: false as const, error: new LocalDBError("quota exceeded") };
    };
    const a = SharedReplica.open({
      name: "broken",
      open,
      locks: tabs.locks("a"),
      channels: tabs.channels("a"),
    });
    const b = SharedReplica.open({
      name: "broken",
      open,
      locks: tabs.locks("b"),
      channels: tabs.channels("b"),
    });
    const result = await b.query("SELECT 1");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("LOCAL_DB_ERROR");
    await a.close();
    await b.close();
  });

  it("a leader can keep the replica in a worker: the page only passes messages", async () => {
    const tabs = new FakeTabs();
    const snapshots = new MemorySnapshotStore();
    const gateway = new FakeGateway();
    let started = 0;
    let terminated = 0;
    const tab = (name: string) =>
      SharedReplica.open({
        name: "in-a-worker",
        locks: tabs.locks(name),
        channels: tabs.channels(name),
        autoSync: false,
        worker: () => {
          started++;
          // Stands for `new Worker(...)`: a separate realm running hostReplica.
          const running = hostReplica({
            name: "in-a-worker",
            autoSync: false,
            channels: tabs.channels(`${name}-worker`),
            open: () =>
              openReplicaEngine({
                clientId: "worker-client",
                name: "in-a-worker",
                transport: gateway.transport(),
                schemas: [todos],
                snapshots,
                queue: new MemoryQueue(),
              }),
          });
          return {
            terminate: () => {
              terminated++;
              void running.then((r) => (r.ok ? r.value.close() : undefined));
            },
          };
        },
      });
    const a = tab("a");
    const b = tab("b");
    unwrapOrThrow(await b.insert("todos", { id: "1", title: "via the worker", done: false }));
    unwrapOrThrow(await b.flush());
    expect(unwrapOrThrow(await snapshots.load("in-a-worker"))).not.toBeNull();
    expect(a.isLeader).toBe(true);
    expect(unwrapOrThrow(await a.ready())).toBe("worker-client");
    await a.close();
    // The next tab starts its own worker, which finds the row in the snapshot.
    const rows = unwrapOrThrow(await b.query<{ title: string }>("SELECT title FROM todos"));
    expect(rows.map((r) => r.title)).toEqual(["via the worker"]);
    expect(b.isLeader).toBe(true);
    await b.close();
    expect([started, terminated]).toEqual([2, 2]);
  });
});
