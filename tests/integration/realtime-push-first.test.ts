import { unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { openApp, startTestGateway, todo } from "./client-harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const gateway = () => startTestGateway(cleanups);

/** A started client whose pulls are counted, once its first cycles are done. */
async function started(url: string, id: string) {
  let pulls = 0;
  const counting: typeof fetch = (input, init) => {
    if (String(input).includes("/pull?")) pulls++;
    return fetch(input, init);
  };
  const app = await openApp(url, id, { user: "alice", fetch: counting });
  app.sync.start();
  cleanups.push(async () => app.sync.stop());
  // Two cycles: the one start() runs and the one the WebSocket's opening asks for.
  await expect
    .poll(() => pulls >= 2 && app.sync.status === "synced", { timeout: 10_000 })
    .toBe(true);
  return { app, pulls: () => pulls };
}

describe("push-first cycles through the Node gateway", () => {
  it("writes on two live clients reach each other by messages alone, with no pull", async () => {
    const server = await gateway();
    const a = await started(server.url, "alice-a");
    const b = await started(server.url, "alice-b");
    const before = [a.pulls(), b.pulls()];
    for (let i = 0; i < 5; i++) {
      unwrapOrThrow(await a.app.tracker.insert("todos", todo(`a${i}`, `from a ${i}`)));
      unwrapOrThrow(await a.app.sync.syncNow({ afterWrite: true }));
      unwrapOrThrow(await b.app.tracker.insert("todos", todo(`b${i}`, `from b ${i}`)));
      unwrapOrThrow(await b.app.sync.syncNow({ afterWrite: true }));
    }
    const all = [0, 1, 2, 3, 4].flatMap((i) => [`a${i}`, `b${i}`]).sort();
    for (const app of [a.app, b.app])
      await expect
        .poll(
          () =>
            app
              .rows()
              .map((r) => r.id)
              .sort(),
          { timeout: 10_000 },
        )
        .toEqual(all);
    expect([a.pulls(), b.pulls()]).toEqual(before);
    // Both cursors reached the gateway's head through messages: a pull now returns nothing new.
    await expect
      .poll(() => a.app.sync.lastSyncedHlc() === b.app.sync.lastSyncedHlc(), { timeout: 10_000 })
      .toBe(true);
  });
});
