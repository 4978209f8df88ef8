import { mkdir } from "node:fs/promises";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

/** Debian's chromium with the flags this machine needs; never a downloaded browser. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page of the todo app for `user` in its own context (its own storage: a separate client). */
export async function openApp(
  browser: Browser,
  baseUrl: string,
  user: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 860, height: 640 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${user}] page error: ${error.message}`));
  await page.goto(`${baseUrl}/?user=${user}`);
  await page.waitForSelector("body[data-ready='true']");
  return { context, page };
}

/** Adds a todo through the form. */
export async function addTodo(page: Page, title: string, shared = false): Promise<void> {
  await page.fill('[data-testid="new-todo-title"]', title);
  await page.setChecked('[data-testid="new-todo-shared"]', shared);
  await page.click('[data-testid="add-todo"]');
  await page.waitForSelector(`[data-testid="todo-title"]:text-is("${title}")`);
}

/** The titles on the page, in order. */
export function titles(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="todo-title"]', (nodes) =>
    nodes.map((n) => n.textContent ?? ""),
  );
}

/** Which todos are ticked, by title, sorted. */
export function checked(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="todo-item"]', (items) =>
    items
      .filter(
        (item) =>
          (item.querySelector('[data-testid="todo-toggle"]') as { checked?: boolean } | null)
            ?.checked,
      )
      .map((item) => item.querySelector('[data-testid="todo-title"]')?.textContent ?? "")
      .sort(),
  );
}

/** The row of a todo by title. */
export function row(page: Page, title: string) {
  return page.locator('[data-testid="todo-item"]', {
    has: page.locator(`[data-testid="todo-title"]:text-is("${title}")`),
  });
}

/** Waits until the page shows exactly these titles (any order). */
export async function expectTitles(page: Page, expected: readonly string[]): Promise<void> {
  await expect
    .poll(async () => (await titles(page)).sort(), { timeout: 20_000, interval: 200 })
    .toEqual([...expected].sort());
}

/** Waits until the outbox is empty and the status says synced (a pull has completed). */
export async function expectSynced(page: Page): Promise<void> {
  const state = async () => {
    const status = page.locator('[data-testid="sync-status"]');
    return `${await status.getAttribute("data-status")}/${await status.getAttribute("data-outbox")}`;
  };
  await expect.poll(state, { timeout: 20_000, interval: 200 }).toBe("synced/0");
}

/** Saves a screenshot as a test artefact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir("test-results/e2e", { recursive: true });
  await page.screenshot({ path: `test-results/e2e/${name}.png` });
}

/** Saves the two pages side by side in one picture (both clients at a glance). */
export async function sideBySide(
  browser: Browser,
  left: Page,
  right: Page,
  name: string,
): Promise<void> {
  const shots = await Promise.all([left.screenshot(), right.screenshot()]);
  const page = await browser.newPage({ viewport: { width: 1740, height: 660 } });
  const images = shots.map(
    (png) =>
      `<img src="data:image/png;base64,${png.toString("base64")}" style="border:1px solid #ccc">`,
  );
  await page.setContent(
    `<body style="margin:10px;display:flex;gap:10px;background:#ddd">${images.join("")}</body>`,
  );
  await mkdir("test-results/e2e", { recursive: true });
  await page.screenshot({ path: `test-results/e2e/${name}.png` });
  await page.close();
}

/** Another tab of the todo app for `user` in an existing context (same storage: same replica). */
export async function openTab(
  context: BrowserContext,
  baseUrl: string,
  user: string,
): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${user} tab] page error: ${error.message}`));
  await page.goto(`${baseUrl}/?user=${user}`);
  await page.waitForSelector("body[data-ready='true']");
  return page;
}

/** Waits until the page says it hosts the shared replica. */
export async function expectLeader(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.body.dataset.role), { timeout: 20_000, interval: 100 })
    .toBe("leader");
}

/** What the origin keeps in IndexedDB: database names and the keys of the replica stores. */
export function storedReplicas(page: Page): Promise<{
  databases: string[];
  clientIds: string[];
  snapshots: string[];
}> {
  return page.evaluate(async () => {
    const keys = (db: string, store: string) =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open(db);
        open.onsuccess = () => {
          const conn = open.result;
          if (!conn.objectStoreNames.contains(store)) {
            conn.close();
            resolve([]);
            return;
          }
          const request = conn.transaction(store).objectStore(store).getAllKeys();
          request.onsuccess = () => {
            conn.close();
            resolve(request.result.map(String));
          };
        };
        open.onerror = () => resolve([]);
      });
    const databases = (await indexedDB.databases()).map((d) => d.name ?? "").sort();
    return {
      databases,
      clientIds: await keys("lakesync-replicas", "values"),
      snapshots: await keys("lakesync-snapshots", "snapshots"),
    };
  });
}

/** The titles of the todos `owner` owns, in order (shared todos of other users left out). */
export function titlesOf(page: Page, owner: string): Promise<string[]> {
  return page.$$eval(
    '[data-testid="todo-item"]',
    (items, who) =>
      items
        .filter((item) => (item as HTMLElement).dataset.owner === who)
        .map((item) => item.querySelector('[data-testid="todo-title"]')?.textContent ?? ""),
    owner,
  );
}

/** Waits until the page shows exactly these todos of `owner` (any order). */
export async function expectTitlesOf(
  page: Page,
  owner: string,
  expected: readonly string[],
): Promise<void> {
  await expect
    .poll(async () => (await titlesOf(page, owner)).sort(), { timeout: 20_000, interval: 200 })
    .toEqual([...expected].sort());
}

/** The top-level entries of the origin's private file system (one SAH pool per OPFS database). */
export function storedOpfs(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const root = (await navigator.storage.getDirectory()) as FileSystemDirectoryHandle & {
      keys(): AsyncIterable<string>;
    };
    const names: string[] = [];
    for await (const name of root.keys()) names.push(name);
    return names.sort();
  });
}
