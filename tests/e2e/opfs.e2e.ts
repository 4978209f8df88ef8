import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  addTodo,
  expectLeader,
  expectSynced,
  expectTitlesOf,
  launch,
  openTab,
  screenshot,
  storedOpfs,
  storedReplicas,
} from "./browser.js";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** Cuts the page's context off from the gateway's sync API (the app shell still loads). */
const cutSync = (context: BrowserContext) =>
  context.route("**/sync/**", (route: Route) => route.abort());

const outbox = (page: Page) => page.getAttribute('[data-testid="sync-status"]', "data-outbox");

describe("the replica lives in OPFS (leader's worker, SQLite SAH pool)", () => {
  it("a reload offline shows every write, from the OPFS file (no snapshot, no network)", async () => {
    const context = await browser.newContext({ viewport: { width: 860, height: 640 } });
    const page = await openTab(context, baseUrl, "olga");
    await expectLeader(page);
    // Pushed and acknowledged: it leaves the outbox, so after the reload only the file has it.
    await addTodo(page, "Synced, then kept");
    await expectSynced(page);
    await cutSync(context);
    await addTodo(page, "Written offline");
    await expect.poll(() => outbox(page), { timeout: 10_000 }).toBe("1");
    await page.reload();
    await page.waitForSelector("body[data-ready='true']");
    await expectTitlesOf(page, "olga", ["Synced, then kept", "Written offline"]);
    await expect.poll(() => outbox(page), { timeout: 10_000 }).toBe("1");
    expect((await storedOpfs(page)).filter((d) => d.includes("olga"))).toHaveLength(1);
    expect((await storedReplicas(page)).snapshots.filter((k) => k.includes("olga"))).toEqual([]);
    await screenshot(page, "opfs-reload-offline");
    await context.unroute("**/sync/**");
    await expectSynced(page);
    await context.close();
  });

  it("a sql.js snapshot left in IndexedDB moves into OPFS on the first open, then is deleted", async () => {
    const context = await browser.newContext({ viewport: { width: 860, height: 640 } });
    // First visit with no Worker: the tab hosts the replica itself, on sql.js, with snapshots
    // in IndexedDB (what every version before OPFS did).
    const old = await context.newPage();
    await old.addInitScript(() => {
      Reflect.deleteProperty(globalThis, "Worker");
    });
    await old.goto(`${baseUrl}/?user=pia`);
    await old.waitForSelector("body[data-ready='true']");
    await expectLeader(old);
    await addTodo(old, "Written by the sql.js replica");
    await expectSynced(old);
    const before = await storedReplicas(old);
    expect(before.snapshots.filter((k) => k.includes("pia"))).toHaveLength(1);
    expect((await storedOpfs(old)).filter((d) => d.includes("pia"))).toEqual([]);
    await old.close();
    // Next visit with a worker, and no gateway: the row can only come from the imported snapshot
    // (the outbox is empty, the initial sync cannot run).
    await cutSync(context);
    const page = await openTab(context, baseUrl, "pia");
    await expectLeader(page);
    await expectTitlesOf(page, "pia", ["Written by the sql.js replica"]);
    expect(await outbox(page)).toBe("0");
    expect((await storedOpfs(page)).filter((d) => d.includes("pia"))).toHaveLength(1);
    expect((await storedReplicas(page)).snapshots.filter((k) => k.includes("pia"))).toEqual([]);
    await screenshot(page, "opfs-migrated-from-snapshot");
    await context.close();
  });
});
