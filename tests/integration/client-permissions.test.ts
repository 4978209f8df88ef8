/**
 * The client SDK against the real Node gateway and the todo app's rules (own rows and shared
 * rows are read; only owners change ownership, sharing, or delete): refused writes, rows that
 * move in and out of view, and a replica that starts again after its cursor expired.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryAdapter } from "@lakesync/adapter";
import type { RefusalEvent } from "@lakesync/client";
import { type LakeSyncError, type Result, unwrapOrThrow } from "@lakesync/core";
import { loadConfig, type RunningServer, startServer } from "@lakesync/server";
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { openApp, type TestApp, todo } from "./client-harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(logRetention?: number): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "lakesync-permissions-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = unwrapOrThrow(
    loadConfig({
      PORT: "0",
      LAKESYNC_DATA_DIR: dataDir,
      LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
    }),
  );
  const server = unwrapOrThrow(
    await startServer(config, {
      target: { kind: "lake", adapter: new MemoryAdapter() },
      ...(logRetention === undefined ? {} : { gatewayOptions: { logRetention } }),
    }),
  );
  cleanups.push(() => server.close());
  return server;
}

const sync = async (...apps: TestApp[]) => {
  for (const app of apps) unwrapOrThrow(await app.sync.syncNow());
};
const ok = <T>(result: Result<T, LakeSyncError>): T => unwrapOrThrow(result);

describe("write permissions and moves, through the client SDK", () => {
  it("a refused write leaves the outbox, is reported, and the row goes back to the gateway's version", async () => {
    const server = await gateway();
    const bob = await openApp(server.url, "bob-phone", { user: "bob" });
    const alice = await openApp(server.url, "alice-phone", { user: "alice" });
    ok(await bob.tracker.insert("todos", { ...todo("s1", "plan", "bob"), private: false }));
    await sync(bob, alice);
    const refusals: RefusalEvent[] = [];
    alice.sync.onRefused((event) => refusals.push(event));
    // Alice may retitle bob's shared todo, but not unshare it, nor create todos for bob.
    ok(await alice.tracker.update("todos", "s1", { private: true, title: "mine now" }));
    ok(await alice.tracker.insert("todos", todo("x1", "forged", "bob")));
    await sync(alice);
    expect(refusals.flatMap((e) => e.refused.map((r) => [r.rowId, r.code]))).toEqual([
      ["s1", "FORBIDDEN"],
      ["x1", "FORBIDDEN"],
    ]);
    expect(await alice.depth()).toBe(0);
    expect(alice.rows()).toEqual([
      { id: "s1", title: "plan", completed: 0, owner: "bob", private: 0 },
    ]);
    await sync(bob);
    expect(bob.rows()).toEqual([
      { id: "s1", title: "plan", completed: 0, owner: "bob", private: 0 },
    ]);
    // An allowed change in the same spirit goes through.
    ok(await alice.tracker.update("todos", "s1", { title: "plan B" }));
    await sync(alice, bob);
    expect(bob.rows()[0]).toMatchObject({ title: "plan B" });
  });

  it("a todo made private leaves the other users' replicas, and comes back whole when shared again", async () => {
    const server = await gateway();
    const bob = await openApp(server.url, "bob-phone", { user: "bob" });
    const alice = await openApp(server.url, "alice-phone", { user: "alice" });
    const fresh = async () => {
      const app = await openApp(server.url, `alice-${Math.random()}`, { user: "alice" });
      await sync(app);
      return app.rows();
    };
    ok(await bob.tracker.insert("todos", { ...todo("s1", "plan", "bob"), private: false }));
    await sync(bob, alice);
    expect(alice.rows()).toEqual(await fresh());
    expect(alice.rows()).toHaveLength(1);
    ok(await bob.tracker.update("todos", "s1", { private: true }));
    ok(await bob.tracker.update("todos", "s1", { title: "secret plan" }));
    await sync(bob, alice);
    expect(alice.rows()).toEqual([]);
    expect(alice.rows()).toEqual(await fresh());
    ok(await bob.tracker.update("todos", "s1", { private: false }));
    await sync(bob, alice);
    expect(alice.rows()).toEqual([
      { id: "s1", title: "secret plan", completed: 0, owner: "bob", private: 0 },
    ]);
    expect(alice.rows()).toEqual(await fresh());
  });

  it("a replica whose cursor expired starts again from a checkpoint and drops rows deleted meanwhile", async () => {
    const server = await gateway(2);
    const away = await openApp(server.url, "alice-tablet", { user: "alice" });
    const here = await openApp(server.url, "alice-phone", { user: "alice" });
    const bob = await openApp(server.url, "bob-phone", { user: "bob" });
    ok(await here.tracker.insert("todos", todo("t1", "milk")));
    ok(await bob.tracker.insert("todos", { ...todo("s1", "shared", "bob"), private: false }));
    await sync(here, bob, away);
    expect(away.rows().map((r) => r.id)).toEqual(["s1", "t1"]);
    // While the tablet is away: t1 is deleted, and bob's todo leaves alice's view.
    ok(await here.tracker.delete("todos", "t1"));
    ok(await bob.tracker.update("todos", "s1", { private: true }));
    await sync(bob);
    for (let i = 0; i < 5; i++) ok(await here.tracker.insert("todos", todo(`n${i}`, `new ${i}`)));
    await sync(here);
    const todos = unwrapOrThrow(await server.gateways.get("todos"));
    unwrapOrThrow(await todos.flush());
    // The tablet kept an unsynced write of its own: it must survive the fresh start.
    ok(await away.tracker.insert("todos", todo("w1", "written away")));
    await sync(away);
    expect(away.rows().map((r) => r.id)).toEqual(["n0", "n1", "n2", "n3", "n4", "w1"]);
    await sync(here);
    expect(here.rows()).toEqual(away.rows());
  });
});
