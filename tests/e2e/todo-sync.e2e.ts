import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { deltaId, HLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { decodeSyncResponse, encodeSyncPush, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  addTodo,
  checked,
  expectSynced,
  expectTitles,
  launch,
  openApp,
  row,
  screenshot,
  sideBySide,
  titles,
} from "./browser.js";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe("the todo app in Chromium, through the Node gateway", () => {
  it("two clients of one user add and edit todos and converge", async () => {
    const a = await openApp(browser, baseUrl, "dora");
    const b = await openApp(browser, baseUrl, "dora");
    await addTodo(a.page, "Buy oat milk");
    await addTodo(b.page, "Water the plants");
    await expectTitles(a.page, ["Buy oat milk", "Water the plants"]);
    await expectTitles(b.page, ["Buy oat milk", "Water the plants"]);
    await row(b.page, "Buy oat milk").locator('[data-testid="todo-toggle"]').check();
    await expect
      .poll(() => row(a.page, "Buy oat milk").locator('[data-testid="todo-toggle"]').isChecked(), {
        timeout: 20_000,
      })
      .toBe(true);
    await sideBySide(browser, a.page, b.page, "two-synced-clients");
    await a.context.close();
    await b.context.close();
  });

  it("concurrent edits: different columns merge, the same column converges to one value", async () => {
    const a = await openApp(browser, baseUrl, "erin");
    const b = await openApp(browser, baseUrl, "erin");
    await addTodo(a.page, "Plan the trip");
    await addTodo(a.page, "Book a table");
    await expectTitles(b.page, ["Plan the trip", "Book a table"]);
    await a.context.setOffline(true);
    await b.context.setOffline(true);
    // Different columns: a renames, b completes.
    await row(a.page, "Plan the trip").locator('[data-testid="todo-title"]').dblclick();
    await a.page.fill('[data-testid="todo-edit"]', "Plan the trip to Lisbon");
    await a.page.press('[data-testid="todo-edit"]', "Enter");
    await row(b.page, "Plan the trip").locator('[data-testid="todo-toggle"]').check();
    // The same column: both rename the second todo.
    await row(a.page, "Book a table").locator('[data-testid="todo-title"]').dblclick();
    await a.page.fill('[data-testid="todo-edit"]', "Book a table for two");
    await a.page.press('[data-testid="todo-edit"]', "Enter");
    await row(b.page, "Book a table").locator('[data-testid="todo-title"]').dblclick();
    await b.page.fill('[data-testid="todo-edit"]', "Book a table for four");
    await b.page.press('[data-testid="todo-edit"]', "Enter");
    for (const side of [a, b]) {
      await side.context.setOffline(false);
      await side.page.evaluate("window.dispatchEvent(new Event('online'))");
    }
    const state = async (page: typeof a.page) =>
      JSON.stringify([(await titles(page)).sort(), await checked(page)]);
    await expectSynced(a.page);
    await expectSynced(b.page);
    await expect
      .poll(async () => (await state(a.page)) === (await state(b.page)), {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(true);
    const final = await titles(a.page);
    expect(final).toContain("Plan the trip to Lisbon");
    expect(final.filter((t) => t.startsWith("Book a table for"))).toHaveLength(1);
    expect(
      await row(a.page, "Plan the trip to Lisbon")
        .locator('[data-testid="todo-toggle"]')
        .isChecked(),
    ).toBe(true);
    await screenshot(a.page, "conflict-a");
    await screenshot(b.page, "conflict-b");
    await a.context.close();
    await b.context.close();
  });

  it("20 changes made offline arrive when the client is back online", async () => {
    const a = await openApp(browser, baseUrl, "frank");
    const b = await openApp(browser, baseUrl, "frank");
    await b.context.setOffline(true);
    const made = Array.from(
      { length: 20 },
      (_, i) => `offline change ${String(i + 1).padStart(2, "0")}`,
    );
    for (const title of made) await addTodo(b.page, title);
    await expect
      .poll(() => b.page.getAttribute('[data-testid="sync-status"]', "data-outbox"), {
        timeout: 10_000,
      })
      .toBe("20");
    await screenshot(b.page, "offline-outbox");
    expect(await titles(a.page)).toEqual([]);
    await b.context.setOffline(false);
    await b.page.evaluate("window.dispatchEvent(new Event('online'))");
    await expectTitles(a.page, made);
    await expectSynced(b.page);
    await a.context.close();
    await b.context.close();
  });

  it("a reload keeps local data and the outbox, even offline", async () => {
    const a = await openApp(browser, baseUrl, "grace");
    await addTodo(a.page, "Survives reloads");
    await expectSynced(a.page);
    await a.page.reload();
    await a.page.waitForSelector("body[data-ready='true']");
    await a.context.setOffline(true);
    await addTodo(a.page, "Queued while offline");
    await a.page.reload();
    await a.page.waitForSelector("body[data-ready='true']");
    await expectTitles(a.page, ["Survives reloads", "Queued while offline"]);
    await expect
      .poll(() => a.page.getAttribute('[data-testid="sync-status"]', "data-outbox"), {
        timeout: 10_000,
      })
      .toBe("1");
    await a.context.setOffline(false);
    await a.page.evaluate("window.dispatchEvent(new Event('online'))");
    await expectSynced(a.page);
    const b = await openApp(browser, baseUrl, "grace");
    await expectTitles(b.page, ["Survives reloads", "Queued while offline"]);
    await a.context.close();
    await b.context.close();
  });

  it("users with different sync rules do not see each other's private todos", async () => {
    const alice = await openApp(browser, baseUrl, "alice");
    const bob = await openApp(browser, baseUrl, "bob");
    await addTodo(alice.page, "Alice's secret plan");
    await addTodo(alice.page, "Team lunch on Friday", true);
    await addTodo(bob.page, "Bob's private note");
    await expectTitles(bob.page, ["Team lunch on Friday", "Bob's private note"]);
    await expectTitles(alice.page, ["Alice's secret plan", "Team lunch on Friday"]);
    await screenshot(alice.page, "rules-alice");
    await screenshot(bob.page, "rules-bob");
    await alice.context.close();
    await bob.context.close();
  });

  it("an admin flush commits the synced todos to the lake's Iceberg table", async () => {
    const { token } = (await (await fetch(`${baseUrl}/dev/token?sub=ops&admin=1`)).json()) as {
      token: string;
    };
    const flushed = await fetch(`${baseUrl}/admin/flush/todos`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(flushed.status).toBe(200);
    const files = (
      await readdir(join(dataDir, "lake", "todos", "todos", "data"), { recursive: true })
    ).filter((f) => String(f).endsWith(".parquet"));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const tables = await fetch(`${baseUrl}/iceberg/v1/namespaces/todos/tables`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(
      ((await tables.json()) as { identifiers: { name: string }[] }).identifiers,
    ).toContainEqual(expect.objectContaining({ name: "todos" }));
  });

  it("a forged push from alice against bob's private todo is refused, and bob's list is unchanged", async () => {
    const bob = await openApp(browser, baseUrl, "bob");
    await addTodo(bob.page, "Bob's diary");
    await expectSynced(bob.page);
    const id = await row(bob.page, "Bob's diary").getAttribute("data-id");
    const { token } = (await (await fetch(`${baseUrl}/dev/token?sub=alice`)).json()) as {
      token: string;
    };
    const clock = new HLC();
    const forge = (op: RowDelta["op"], columns: RowDelta["columns"]): RowDelta => {
      const hlc = clock.now();
      const rowId = id ?? "";
      return {
        op,
        table: "todos",
        rowId,
        clientId: "alice-forger",
        columns,
        hlc,
        deltaId: deltaId({ clientId: "alice-forger", hlc, table: "todos", rowId, columns }),
      };
    };
    const response = await fetch(`${baseUrl}/sync/todos/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": PROTO_CONTENT_TYPE },
      body: unwrapOrThrow(
        encodeSyncPush({
          clientId: "alice-forger",
          deltas: [
            forge("UPDATE", [{ column: "title", value: "hacked by alice" }]),
            forge("UPDATE", [{ column: "owner", value: "alice" }]),
            forge("DELETE", []),
          ],
          lastSeenHlc: HLC_ZERO,
        }),
      ) as Uint8Array<ArrayBuffer>,
    });
    expect(response.status).toBe(200);
    const answer = unwrapOrThrow(decodeSyncResponse(new Uint8Array(await response.arrayBuffer())));
    expect(answer.refused?.map((r) => r.code)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    await bob.page.reload();
    await bob.page.waitForSelector("body[data-ready='true']");
    await expectSynced(bob.page);
    expect(await titles(bob.page)).toContain("Bob's diary");
    expect(await titles(bob.page)).not.toContain("hacked by alice");
    await bob.context.close();
  });

  it("a todo bob makes private and shares again leaves and comes back to alice's list, whole", async () => {
    const bob = await openApp(browser, baseUrl, "bob");
    const alice = await openApp(browser, baseUrl, "alice");
    // What alice holds once her first sync is done (read earlier, it may still be empty).
    await expectSynced(alice.page);
    const before = (await titles(alice.page)).filter((t) => t !== "Bob's shared idea");
    await addTodo(bob.page, "Bob's shared idea", true);
    await expectTitles(alice.page, [...before, "Bob's shared idea"]);
    const fresh = async () => {
      const other = await openApp(browser, baseUrl, "alice");
      await expectSynced(other.page);
      const shown = (await titles(other.page)).sort();
      await other.context.close();
      return shown;
    };
    const share = row(bob.page, "Bob's shared idea").locator('[data-testid="todo-share"]');
    for (const step of ["private", "shared", "private", "shared"]) {
      await share.click();
      // A client that has never seen the todo agrees with the gateway once bob's push is in.
      let expected: string[] = [];
      await expect
        .poll(
          async () => {
            expected = await fresh();
            return expected.includes("Bob's shared idea");
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(step === "shared");
      await expectTitles(alice.page, expected);
    }
    const back = row(alice.page, "Bob's shared idea");
    await expect.poll(() => back.getAttribute("data-owner"), { timeout: 20_000 }).toBe("bob");
    await screenshot(alice.page, "moves-alice");
    await alice.context.close();
    await bob.context.close();
  });
});
