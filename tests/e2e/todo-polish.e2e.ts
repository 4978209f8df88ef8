import { deltaId, HLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { encodeSyncPush, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import type { Browser, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { addTodo, expectSynced, launch, openApp, screenshot, titles } from "./browser.js";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe("the todo app says what is going on", () => {
  it("a row without a title shows as an untitled todo, never as an empty line", async () => {
    const { token } = (await (await fetch(`${baseUrl}/dev/token?sub=nina`)).json()) as {
      token: string;
    };
    const clock = new HLC();
    const hlc = clock.now();
    const columns = [
      { column: "owner", value: "nina" },
      { column: "private", value: true },
    ];
    const base = { table: "todos", rowId: "no-title-row", clientId: "nina-script", hlc, columns };
    const delta: RowDelta = { ...base, op: "INSERT", deltaId: deltaId(base) };
    const pushed = await fetch(`${baseUrl}/sync/todos/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": PROTO_CONTENT_TYPE },
      body: unwrapOrThrow(
        encodeSyncPush({ clientId: "nina-script", deltas: [delta], lastSeenHlc: HLC_ZERO }),
      ) as Uint8Array<ArrayBuffer>,
    });
    expect(pushed.status).toBe(200);
    const { context, page } = await openApp(browser, baseUrl, "nina");
    await expectSynced(page);
    const row = page.locator('[data-testid="todo-item"][data-id="no-title-row"]');
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.locator('[data-testid="todo-title"]').textContent()).toBe("Untitled todo");
    for (const text of await titles(page)) expect(text.trim()).not.toBe("");
    await screenshot(page, "untitled-row");
    await context.close();
  });

  it("a sync error clears from the status once sync recovers", async () => {
    const { context, page } = await openApp(browser, baseUrl, "omar");
    await expectSynced(page);
    const failing = (route: Route) =>
      route.fulfill({
        status: 500,
        contentType: "application/json",
        body: '{"code":"INTERNAL","message":"boom"}',
      });
    await context.route("**/sync/todos/push", failing);
    await addTodo(page, "Sent after a failure");
    const status = page.locator('[data-testid="sync-status"]');
    await expect.poll(() => status.getAttribute("data-status"), { timeout: 20_000 }).toBe("error");
    expect(await status.getAttribute("title")).toContain("retrying automatically");
    await context.unroute("**/sync/todos/push", failing);
    await page.evaluate("window.dispatchEvent(new Event('online'))");
    await expectSynced(page);
    expect(await status.getAttribute("title")).toBe("Synced: every change is saved on the server.");
    await context.close();
  });

  it("without development tokens the app keeps changes and says what to do", async () => {
    const context = await browser.newContext({ viewport: { width: 860, height: 640 } });
    await context.route("**/dev/token*", (route) =>
      route.fulfill({ status: 404, contentType: "application/json", body: '{"code":"NOT_FOUND"}' }),
    );
    const page = await context.newPage();
    await page.goto(`${baseUrl}/?user=pia`);
    await page.waitForSelector("body[data-ready='true']");
    await addTodo(page, "Kept on this device");
    const problem = page.locator('[data-testid="problem"]');
    await expect.poll(() => problem.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await problem.textContent()).toContain("production mode");
    expect(await problem.textContent()).toContain("npm start");
    await screenshot(page, "no-dev-tokens");
    await context.close();
  });
});
