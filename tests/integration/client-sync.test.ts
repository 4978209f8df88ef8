/**
 * The client SDK (LocalDB, SyncTracker, SyncCoordinator, HttpTransport) against the real Node
 * gateway over HTTP.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBQueue, MemorySnapshotStore } from "@lakesync/client";
import { deltaId, HLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { encodeSyncPush, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import {
  DEV_JWT_SECRET,
  devToken,
  loadConfig,
  type RunningServer,
  startServer,
} from "@lakesync/server";
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { openApp, todo } from "./client-harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(dir?: string, port = "0"): Promise<{ server: RunningServer; dir: string }> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), "lakesync-client-it-")));
  if (!dir) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = unwrapOrThrow(
    loadConfig({ PORT: port, LAKESYNC_DATA_DIR: dataDir, LAKESYNC_FLUSH_MAX_AGE_MS: "86400000" }),
  );
  const server = unwrapOrThrow(await startServer(config));
  let closed = false;
  const close = server.close.bind(server);
  cleanups.push(async () => {
    if (!closed) await close();
  });
  return {
    server: {
      ...server,
      url: server.url,
      port: server.port,
      gateways: server.gateways,
      close: async () => {
        closed = true;
        return close();
      },
    },
    dir: dataDir,
  };
}

describe("clients through the real Node gateway", () => {
  it("a single client's writes reach a second client", async () => {
    const { server } = await gateway();
    const a = await openApp(server.url, "a");
    const b = await openApp(server.url, "b");
    unwrapOrThrow(await a.tracker.insert("todos", todo("t1", "milk")));
    unwrapOrThrow(await a.sync.syncNow());
    unwrapOrThrow(await b.sync.syncNow());
    expect(b.rows()).toEqual([
      { id: "t1", title: "milk", completed: 0, owner: "alice", private: 1 },
    ]);
    expect(await a.depth()).toBe(0);
  });

  it("edits of different columns on two clients merge; the same column converges on one value", async () => {
    const { server } = await gateway();
    const a = await openApp(server.url, "a");
    const b = await openApp(server.url, "b");
    unwrapOrThrow(await a.tracker.insert("todos", todo("t1", "milk")));
    unwrapOrThrow(await a.sync.syncNow());
    unwrapOrThrow(await b.sync.syncNow());
    unwrapOrThrow(await a.tracker.update("todos", "t1", { completed: true }));
    unwrapOrThrow(await b.tracker.update("todos", "t1", { private: false }));
    unwrapOrThrow(await a.tracker.update("todos", "t1", { title: "oat milk" }));
    unwrapOrThrow(await b.tracker.update("todos", "t1", { title: "whole milk" }));
    for (let i = 0; i < 2; i++) {
      unwrapOrThrow(await a.sync.syncNow());
      unwrapOrThrow(await b.sync.syncNow());
    }
    expect(a.rows()).toEqual(b.rows());
    expect(a.rows()[0]).toMatchObject({ completed: 1, private: 0, title: "whole milk" });
  });

  it("50 writes made offline are pushed on reconnect and the outbox drains", async () => {
    const { server } = await gateway();
    let online = false;
    const flaky: typeof fetch = (input, init) =>
      online ? fetch(input, init) : Promise.reject(new TypeError("network down"));
    const a = await openApp(server.url, "a", { fetch: flaky });
    const b = await openApp(server.url, "b");
    for (let i = 0; i < 50; i++)
      unwrapOrThrow(
        await a.tracker.insert("todos", todo(`t${String(i).padStart(2, "0")}`, `offline ${i}`)),
      );
    const failed = await a.sync.syncNow();
    expect(failed.ok).toBe(false);
    expect(a.sync.status).toBe("offline");
    expect(await a.depth()).toBe(50);
    online = true;
    unwrapOrThrow(await a.sync.syncNow());
    expect(await a.depth()).toBe(0);
    unwrapOrThrow(await b.sync.syncNow());
    expect(b.rows()).toHaveLength(50);
  });

  it("after a gateway restart and a lost acknowledgement, the re-push is applied once", async () => {
    const first = await gateway();
    // Two replies lost in a row: the transport's immediate second try loses its reply too.
    let dropReplies = 2;
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (dropReplies > 0 && String(input).endsWith("/push")) {
        dropReplies--;
        throw new TypeError("connection reset after the gateway answered");
      }
      return response;
    };
    const a = await openApp(first.server.url, "a", { fetch: lossy });
    unwrapOrThrow(await a.tracker.insert("todos", todo("t1", "kept once")));
    expect((await a.sync.syncNow()).ok).toBe(false);
    expect(await a.depth()).toBe(1);
    await first.server.close();
    const second = await gateway(first.dir, String(first.server.port));
    unwrapOrThrow(await a.sync.syncNow());
    expect(await a.depth()).toBe(0);
    const b = await openApp(second.server.url, "b");
    unwrapOrThrow(await b.sync.syncNow());
    expect(b.rows().map((r) => r.title)).toEqual(["kept once"]);
    const gw = unwrapOrThrow(await second.server.gateways.get("todos"));
    expect(gw.stats().logEntries).toBe(1);
  });

  it("a client whose clock runs a minute ahead is refused with CLOCK_DRIFT and keeps its outbox", async () => {
    const { server } = await gateway();
    const skewed = await openApp(server.url, "skewed", { wallClock: () => Date.now() + 60_000 });
    unwrapOrThrow(await skewed.tracker.insert("todos", todo("t1", "from the future")));
    const result = await skewed.sync.syncNow();
    expect(!result.ok && result.error.code).toBe("CLOCK_DRIFT");
    expect(skewed.sync.status).toBe("error");
    expect(await skewed.depth()).toBe(1);
    const honest = await openApp(server.url, "honest");
    unwrapOrThrow(await honest.tracker.insert("todos", todo("t2", "on time")));
    unwrapOrThrow(await honest.sync.syncNow());
    expect(honest.rows().map((r) => r.id)).toEqual(["t2"]);
  });

  it("a new client starts from a checkpoint of 100k rows, reporting progress, then pulls incrementally", async () => {
    const { server } = await gateway();
    const token = await devToken(DEV_JWT_SECRET, "alice", false);
    const clock = new HLC();
    for (let batch = 0; batch < 10; batch++) {
      const deltas: RowDelta[] = [];
      for (let i = 0; i < 10_000; i++) {
        const rowId = `r${batch * 10_000 + i}`;
        const hlc = clock.now();
        const columns = [
          { column: "title", value: `row ${rowId}` },
          { column: "owner", value: "alice" },
          { column: "private", value: true },
        ];
        deltas.push({
          op: "INSERT",
          table: "todos",
          rowId,
          clientId: "seeder",
          columns,
          hlc,
          deltaId: deltaId({ clientId: "seeder", hlc, table: "todos", rowId, columns }),
        });
      }
      const response = await fetch(`${server.url}/sync/todos/push`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": PROTO_CONTENT_TYPE },
        body: unwrapOrThrow(
          encodeSyncPush({ clientId: "seeder", deltas, lastSeenHlc: HLC_ZERO }),
        ) as Uint8Array<ArrayBuffer>,
      });
      expect(response.status).toBe(200);
    }
    const fresh = await openApp(server.url, "fresh");
    const progress: number[] = [];
    fresh.sync.onProgress((p) => progress.push(p.rows));
    unwrapOrThrow(await fresh.sync.syncNow());
    expect(
      unwrapOrThrow(fresh.db.query<{ n: number }>("SELECT count(*) AS n FROM todos"))[0]?.n,
    ).toBe(100_000);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[progress.length - 1]).toBe(100_000);
    const writer = await openApp(server.url, "writer");
    unwrapOrThrow(await writer.tracker.insert("todos", todo("late", "after the checkpoint")));
    unwrapOrThrow(await writer.sync.syncNow());
    unwrapOrThrow(await fresh.sync.syncNow());
    expect(
      unwrapOrThrow(fresh.db.query<{ n: number }>("SELECT count(*) AS n FROM todos"))[0]?.n,
    ).toBe(100_001);
  }, 180_000);

  it("a crash before the snapshot is saved loses nothing: the outbox replays into the database", async () => {
    const { server } = await gateway();
    const snapshots = new MemorySnapshotStore();
    const queue = unwrapOrThrow(await IDBQueue.open({ name: "crash-outbox" }));
    const before = await openApp(server.url, "crashy", { snapshots, queue });
    unwrapOrThrow(await before.db.persist());
    unwrapOrThrow(
      await before.tracker.insert("todos", todo("t1", "written just before the crash")),
    );
    // The process dies here: the debounced snapshot was never written. Open again.
    const after = await openApp(server.url, "crashy", {
      snapshots,
      queue: unwrapOrThrow(await IDBQueue.open({ name: "crash-outbox" })),
    });
    expect(after.rows()).toEqual([]);
    expect(unwrapOrThrow(await after.tracker.recover())).toBe(1);
    expect(after.rows().map((r) => r.title)).toEqual(["written just before the crash"]);
    unwrapOrThrow(await after.sync.syncNow());
    expect(await after.depth()).toBe(0);
  });
});
