import { unwrapOrThrow } from "@lakesync/core";
import { decodeSyncNotification, type SyncNotification } from "@lakesync/proto";
import { DEV_JWT_SECRET, devToken } from "@lakesync/server";
import { afterEach, describe, expect, it } from "vitest";
import { openApp, startTestGateway, type TestApp, todo } from "./client-harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const gateway = () => startTestGateway(cleanups);

/** A client whose pulls are counted, started and settled (its first cycles done). */
async function started(url: string, id: string, user: string) {
  let pulls = 0;
  const counting: typeof fetch = (input, init) => {
    if (String(input).includes("/pull?")) pulls++;
    return fetch(input, init);
  };
  const app = await openApp(url, id, { user, fetch: counting });
  app.sync.start();
  cleanups.push(async () => app.sync.stop());
  // Two cycles: the one start() runs and the one the WebSocket's opening asks for.
  await expect
    .poll(() => pulls >= 2 && app.sync.status === "synced", { timeout: 10_000 })
    .toBe(true);
  return { app, pulls: () => pulls };
}

const ids = (app: TestApp) => app.rows().map((r) => r.id);

/** A raw subscriber socket: its messages, decoded. */
async function listen(url: string, user: string, client?: string) {
  const token = await devToken(DEV_JWT_SECRET, user, false);
  const query = new URLSearchParams({ token, ...(client ? { client } : {}) });
  const socket = new WebSocket(`${url.replace("http", "ws")}/sync/todos/ws?${query}`);
  socket.binaryType = "arraybuffer";
  const messages: SyncNotification[] = [];
  socket.onmessage = (event) =>
    messages.push(unwrapOrThrow(decodeSyncNotification(new Uint8Array(event.data as ArrayBuffer))));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  cleanups.push(async () => socket.close());
  return messages;
}

describe("realtime through the Node gateway", () => {
  it("a write on A arrives on B in the WebSocket message, without a pull, and only what B may read", async () => {
    const server = await gateway();
    const a = await openApp(server.url, "alice-a", { user: "alice" });
    const b = await started(server.url, "bob-b", "bob");
    const before = b.pulls();
    unwrapOrThrow(await a.tracker.insert("todos", todo("p1", "alice only")));
    unwrapOrThrow(
      await a.tracker.insert("todos", { ...todo("s1", "for everyone"), private: false }),
    );
    unwrapOrThrow(await a.sync.syncNow());
    await expect.poll(() => ids(b.app), { timeout: 10_000 }).toEqual(["s1"]);
    expect(b.pulls()).toBe(before);
    // Made private, it leaves B's replica; shared again, it comes back whole — all by message.
    unwrapOrThrow(await a.tracker.update("todos", "s1", { private: true }));
    unwrapOrThrow(await a.sync.syncNow());
    await expect.poll(() => ids(b.app), { timeout: 10_000 }).toEqual([]);
    unwrapOrThrow(await a.tracker.update("todos", "s1", { title: "changed while hidden" }));
    unwrapOrThrow(await a.tracker.update("todos", "s1", { private: false }));
    unwrapOrThrow(await a.sync.syncNow());
    await expect
      .poll(() => b.app.rows(), { timeout: 10_000 })
      .toEqual([
        { id: "s1", title: "changed while hidden", completed: 0, owner: "alice", private: 0 },
      ]);
    expect(b.pulls()).toBe(before);
  });

  it("the writer's own deltas are not echoed; its other devices and other users get their share", async () => {
    const server = await gateway();
    const phone = await listen(server.url, "alice", "alice-phone");
    const laptop = await listen(server.url, "alice", "alice-laptop");
    const bob = await listen(server.url, "bob");
    const a = await openApp(server.url, "alice-phone", { user: "alice" });
    unwrapOrThrow(await a.tracker.insert("todos", todo("p1", "private")));
    unwrapOrThrow(await a.sync.syncNow());
    await expect.poll(() => [phone.length, laptop.length, bob.length]).toEqual([1, 1, 1]);
    expect(phone[0]).toMatchObject({ kind: "deltas", deltas: [] });
    expect(laptop[0]?.deltas.map((d) => d.rowId)).toEqual(["p1"]);
    expect(bob[0]).toMatchObject({ kind: "deltas", deltas: [], tables: [] });
    // All three carry the same log range.
    expect(
      new Set([phone, laptop, bob].map((m) => `${m[0]?.sinceHlc}-${m[0]?.serverHlc}`)).size,
    ).toBe(1);
  });
});
