import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  addTodo,
  expectLeader,
  expectSynced,
  expectTitlesOf,
  launch,
  openApp,
  openTab,
  screenshot,
  sideBySide,
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

const syncRequests = (page: Page) => {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/sync/")) seen.push(request.url());
  });
  return seen;
};

describe("every tab of a browser shares one replica", () => {
  it("a write in either tab shows in the other with the network cut off", async () => {
    const { context, page: a } = await openApp(browser, baseUrl, "hana");
    const b = await openTab(context, baseUrl, "hana");
    await expectSynced(a);
    await context.setOffline(true);
    await context.route("**/*", (route: Route) => route.abort());
    await addTodo(a, "Written in tab A");
    await expectTitlesOf(b, "hana", ["Written in tab A"]);
    await addTodo(b, "Written in tab B");
    await expectTitlesOf(a, "hana", ["Written in tab A", "Written in tab B"]);
    // Nothing reached the gateway: every request was cut off, and both writes wait in the outbox.
    for (const tab of [a, b])
      await expect
        .poll(() => tab.getAttribute('[data-testid="sync-status"]', "data-outbox"), {
          timeout: 10_000,
        })
        .toBe("2");
    await sideBySide(browser, a, b, "tabs-offline-shared");
    await context.close();
  });

  it("closing the leader in the middle of a push loses nothing and repeats nothing", async () => {
    const { context, page: a } = await openApp(browser, baseUrl, "ivan");
    await expectLeader(a);
    const b = await openTab(context, baseUrl, "ivan");
    await expectSynced(a);
    let held = 0;
    // Pushes reach the route and hang there: the leader is mid-sync when it goes.
    await context.route("**/sync/todos/push", () => {
      held++;
    });
    const made = ["one", "two", "three", "four", "five"].map((n) => `Mid-sync ${n}`);
    for (const title of made) await addTodo(b, title);
    await expect.poll(() => held, { timeout: 20_000 }).toBeGreaterThan(0);
    await a.close();
    await expectLeader(b);
    await context.unroute("**/sync/todos/push");
    await b.evaluate("window.dispatchEvent(new Event('online'))");
    await expectSynced(b);
    await expectTitlesOf(b, "ivan", made);
    const other = await openApp(browser, baseUrl, "ivan");
    await expectSynced(other.page);
    await expectTitlesOf(other.page, "ivan", made);
    await other.context.close();
    await context.close();
  });

  it("a tab opened later reads the replica without syncing anything itself", async () => {
    const { context, page: a } = await openApp(browser, baseUrl, "jill");
    await addTodo(a, "Already here");
    await expectSynced(a);
    const c = await context.newPage();
    const requests = syncRequests(c);
    await c.goto(`${baseUrl}/?user=jill`);
    await c.waitForSelector("body[data-ready='true']");
    await expectTitlesOf(c, "jill", ["Already here"]);
    await addTodo(c, "Added in the late tab");
    await expectSynced(a);
    await expectSynced(c);
    expect(requests).toEqual([]);
    expect(await c.evaluate(() => document.body.dataset.role)).toBe("follower");
    await context.close();
  });

  it("20 tabs opened and closed leave one client id and one OPFS database", async () => {
    const { context, page: first } = await openApp(browser, baseUrl, "kate");
    await addTodo(first, "Seen by every tab");
    await expectSynced(first);
    const pages: Page[] = [];
    for (let i = 0; i < 19; i++) pages.push(await openTab(context, baseUrl, "kate"));
    const ids = await Promise.all(
      [first, ...pages].map((p) => p.evaluate(() => document.body.dataset.clientId)),
    );
    expect(new Set(ids).size).toBe(1);
    await first.close();
    for (const page of pages.slice(0, 18)) await page.close();
    const last = pages[18];
    if (!last) throw new Error("no last tab");
    await expectLeader(last);
    await expectTitlesOf(last, "kate", ["Seen by every tab"]);
    await expectSynced(last);
    const stored = await storedReplicas(last);
    expect(stored.clientIds.filter((k) => k.includes("kate"))).toHaveLength(1);
    // The replica lives in OPFS (one SAH pool directory), with no snapshot in IndexedDB.
    expect(stored.snapshots.filter((k) => k.includes("kate"))).toHaveLength(0);
    expect((await storedOpfs(last)).filter((d) => d.includes("kate"))).toHaveLength(1);
    expect(stored.databases.filter((d) => d.includes("kate"))).toHaveLength(1);
    expect(await last.evaluate(() => document.body.dataset.clientId)).toBe(ids[0]);
    await context.close();
  });
});

describe("the todo app as a new user meets it", () => {
  it("a reload while offline right after the very first visit works", async () => {
    const { context, page } = await openApp(browser, baseUrl, "luis");
    await page.waitForSelector("body[data-offline-ready='true']");
    await addTodo(page, "Made on the first visit");
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector("body[data-ready='true']");
    await expectTitlesOf(page, "luis", ["Made on the first visit"]);
    await screenshot(page, "offline-reload-first-visit");
    await context.close();
  });

  it("fits a 360 px phone: nothing is cut off", async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/?user=mona`);
    await page.waitForSelector("body[data-ready='true']");
    await addTodo(page, "Pick up the dry cleaning before the shop closes at six");
    await addTodo(page, "Call grandma", true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    const card = await page.locator("main.card").boundingBox();
    for (const selector of [
      '[data-testid="add-todo"]',
      '[data-testid="new-todo-shared"]',
      '[data-testid="sync-status"]',
    ]) {
      const box = await page.locator(selector).boundingBox();
      expect(box, selector).not.toBeNull();
      if (box && card) expect(box.x + box.width, selector).toBeLessThanOrEqual(360);
    }
    const add = await page.locator('[data-testid="add-todo"]').boundingBox();
    if (add && card) expect(add.x + add.width).toBeLessThanOrEqual(card.x + card.width);
    for (const item of await page.locator('[data-testid="todo-delete"]').all()) {
      const box = await item.boundingBox();
      if (box) expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    expect(await page.isChecked('[data-testid="new-todo-shared"]')).toBe(false);
    await screenshot(page, "phone-360");
    await context.close();
  });
});
