import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.js";

// The hand-over of an OPFS database between two workers, as between the replica worker of a
// leader tab that is closing and that of the next leader: a page built from ./opfs-page.

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
};

let browser: Browser;
let server: Server;
let baseUrl: string;
const outDir = mkdtempSync(join(tmpdir(), "lakesync-opfs-page-"));

beforeAll(async () => {
  await build({
    root: fileURLToPath(new URL("./opfs-page/", import.meta.url)),
    configFile: false,
    logLevel: "warn",
    resolve: { conditions: ["@lakesync/source", "browser", "module", "import", "default"] },
    optimizeDeps: { exclude: ["@sqlite.org/sqlite-wasm"] },
    worker: { format: "es" },
    build: { outDir, target: "es2022", emptyOutDir: true },
  });
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const file = join(outDir, path === "/" ? "index.html" : path);
    if (!file.startsWith(outDir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  baseUrl = `http://127.0.0.1:${address.port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

type Answer = { error?: string; ms?: number; engine?: string; ids?: string[] };

interface Workers {
  start(): number;
  call(id: number, message: unknown): Promise<Answer>;
  terminate(id: number): void;
}

async function page(): Promise<Page> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  tab.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  await tab.goto(baseUrl);
  await tab.waitForFunction(() => "opfsWorkers" in globalThis);
  return tab;
}

const start = (tab: Page) =>
  tab.evaluate(() => (globalThis as unknown as { opfsWorkers: Workers }).opfsWorkers.start());
const call = (tab: Page, id: number, message: unknown) =>
  tab.evaluate(
    ([w, m]) => (globalThis as unknown as { opfsWorkers: Workers }).opfsWorkers.call(w, m),
    [id, message] as const,
  );
const terminate = (tab: Page, id: number) =>
  tab.evaluate(
    (w) => (globalThis as unknown as { opfsWorkers: Workers }).opfsWorkers.terminate(w),
    id,
  );

describe("an OPFS database passes from one worker to the next", () => {
  it("a second worker waits while the first holds the file, then fails with a clear error", async () => {
    const tab = await page();
    const first = await start(tab);
    expect(await call(tab, first, { kind: "open", name: "held", retryForMs: 1_000 })).toMatchObject(
      { engine: "opfs" },
    );
    const second = await start(tab);
    const refused = await call(tab, second, { kind: "open", name: "held", retryForMs: 1_000 });
    expect(refused.error).toContain("still in use by another worker after 1000 ms");
    expect(refused.ms).toBeGreaterThanOrEqual(900);
    // The refused worker left the file alone: the first one still reads and writes it.
    expect(await call(tab, first, { kind: "write", id: "after" })).toEqual({});
    expect(await call(tab, first, { kind: "read" })).toEqual({ ids: ["after"] });
    await tab.context().close();
  });

  it("when the holder's worker ends mid-wait, the next one opens the file with every commit", async () => {
    const tab = await page();
    const first = await start(tab);
    await call(tab, first, { kind: "open", name: "handed", retryForMs: 1_000 });
    for (const id of ["a", "b", "c"]) await call(tab, first, { kind: "write", id });
    const second = await start(tab);
    const opening = call(tab, second, { kind: "open", name: "handed", retryForMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // The leader's tab goes away: its worker ends without closing anything.
    await terminate(tab, first);
    const opened = await opening;
    expect(opened).toMatchObject({ engine: "opfs" });
    expect(opened.ms).toBeGreaterThanOrEqual(300);
    expect(await call(tab, second, { kind: "read" })).toEqual({ ids: ["a", "b", "c"] });
    await tab.context().close();
  });

  it("a closed database is opened again at once, in the same worker or another", async () => {
    const tab = await page();
    const first = await start(tab);
    await call(tab, first, { kind: "open", name: "closed", retryForMs: 1_000 });
    await call(tab, first, { kind: "write", id: "kept" });
    expect(await call(tab, first, { kind: "close" })).toEqual({});
    const second = await start(tab);
    const opened = await call(tab, second, { kind: "open", name: "closed", retryForMs: 1_000 });
    expect(opened).toMatchObject({ engine: "opfs" });
    expect(await call(tab, second, { kind: "read" })).toEqual({ ids: ["kept"] });
    await call(tab, second, { kind: "close" });
    expect(
      await call(tab, first, { kind: "open", name: "closed", retryForMs: 1_000 }),
    ).toMatchObject({ engine: "opfs" });
    expect(await call(tab, first, { kind: "read" })).toEqual({ ids: ["kept"] });
    await tab.context().close();
  });
});
