/**
 * The analyst dashboard (apps/examples/dashboard) in Chromium against a Node gateway of its own
 * with known data: todos pushed over the wire protocol by two users, flushed to the lake in two
 * batches. The page reads the lake through `/iceberg` and `/lake/*` into DuckDB-WASM; its numbers
 * are checked now and as of an earlier HLC. The command line reads the same lake.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deltaId, type HLCTimestamp, type RowDelta } from "@lakesync/core";
import { encodeSyncPush, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, screenshot } from "./browser.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let browser: Browser;
let gateway: ChildProcess;
let baseUrl: string;
let dataDir: string;
let output = "";
const base = BigInt(Date.now() - 120_000) << 16n;
/** The i-th moment of the test's history (1 ms apart). */
const at = (i: number) => (base + (BigInt(i) << 16n)) as HLCTimestamp;

async function startGateway(): Promise<void> {
  dataDir = await mkdtemp(join(tmpdir(), "lakesync-dashboard-"));
  gateway = spawn(
    process.execPath,
    [
      "--conditions=@lakesync/source",
      "--import",
      "tsx",
      join(root, "apps/gateway-server/src/main.ts"),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: "0",
        LAKESYNC_DATA_DIR: dataDir,
        LAKESYNC_STATIC_DIR: join(root, "apps/examples/todo-app/dist"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  baseUrl = await new Promise<string>((resolve, reject) => {
    gateway.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    gateway.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    gateway.once("exit", (code) =>
      reject(new Error(`the gateway exited with ${code}:\n${output}`)),
    );
  });
}

async function token(sub: string, admin = false): Promise<string> {
  const response = await fetch(`${baseUrl}/dev/token?sub=${sub}${admin ? "&admin=1" : ""}`);
  return ((await response.json()) as { token: string }).token;
}

function todo(
  op: "INSERT" | "UPDATE",
  owner: string,
  rowId: string,
  hlc: HLCTimestamp,
  values: Record<string, unknown>,
): RowDelta {
  const columns = Object.entries(values).map(([column, value]) => ({
    column,
    value,
  })) as RowDelta["columns"];
  const clientId = `${owner}-e2e`;
  return {
    op,
    table: "todos",
    rowId,
    clientId,
    hlc,
    columns,
    deltaId: deltaId({ clientId, hlc, table: "todos", rowId, columns }),
  };
}

const insert = (owner: string, rowId: string, i: number, title: string, priv = false) =>
  todo("INSERT", owner, rowId, at(i), {
    title,
    completed: false,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    owner,
    private: priv,
  });
const complete = (owner: string, rowId: string, i: number) =>
  todo("UPDATE", owner, rowId, at(i), { completed: true });

async function push(owner: string, deltas: RowDelta[]): Promise<void> {
  const body = encodeSyncPush({
    clientId: `${owner}-e2e`,
    deltas,
    lastSeenHlc: 0n as HLCTimestamp,
  });
  if (!body.ok) throw body.error;
  const response = await fetch(`${baseUrl}/sync/todos/push`, {
    method: "POST",
    headers: { authorization: `Bearer ${await token(owner)}`, "content-type": PROTO_CONTENT_TYPE },
    body: body.value as Uint8Array<ArrayBuffer>,
  });
  expect(response.status).toBe(200);
}

async function flush(): Promise<void> {
  const response = await fetch(`${baseUrl}/admin/flush/todos`, {
    method: "POST",
    headers: { authorization: `Bearer ${await token("admin", true)}` },
  });
  expect(response.status).toBe(200);
}

/** Runs `lakesync-query` (asynchronously: a blocked event loop would strand keep-alive sockets). */
function query(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const argv = [
    "--conditions=@lakesync/source",
    "--import",
    "tsx",
    join(root, "packages/analyst/src/cli/bin.ts"),
  ];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...argv, ...args, "--data-dir", dataDir],
      { cwd: root },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

beforeAll(async () => {
  const app = join(root, "apps/examples/dashboard");
  await build({ root: app, configFile: join(app, "vite.config.ts"), logLevel: "warn" });
  await startGateway();
  browser = await launch();
  // Moments 0-4: five todos; flush. Moments 5-7: three completed; flush.
  await push("alice", [
    insert("alice", "a1", 0, "Buy oat milk"),
    insert("alice", "a2", 1, "Call mum", true),
    insert("alice", "a3", 2, "File taxes"),
  ]);
  await push("bob", [insert("bob", "b1", 3, "Fix bike"), insert("bob", "b2", 4, "Water plants")]);
  await flush();
  await push("alice", [complete("alice", "a1", 5), complete("alice", "a3", 6)]);
  await push("bob", [complete("bob", "b1", 7)]);
  await flush();
});
afterAll(async () => {
  await browser?.close();
  gateway?.kill("SIGTERM");
  if (gateway) await new Promise((resolve) => gateway.once("exit", resolve));
  await rm(dataDir, { recursive: true, force: true });
});

async function users(page: Page) {
  return page.$$eval('[data-testid="user-row"]', (rows) =>
    rows.map((r) => {
      const d = (r as HTMLElement).dataset;
      return { owner: d.owner, total: Number(d.total), done: Number(d.done), open: Number(d.open) };
    }),
  );
}
const text = (page: Page, id: string) => page.textContent(`[data-testid="${id}"]`);

describe("the analyst dashboard in Chromium", () => {
  it("shows todos per user and done vs open from the lake, and replays earlier HLCs", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 860 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${baseUrl}/dashboard/`);
    await page.waitForSelector("body[data-ready='true']", { timeout: 60_000 });
    expect(await users(page)).toEqual([
      { owner: "alice", total: 3, done: 2, open: 1 },
      { owner: "bob", total: 2, done: 1, open: 1 },
    ]);
    expect([
      await text(page, "total"),
      await text(page, "total-done"),
      await text(page, "total-open"),
    ]).toEqual(["5", "3", "2"]);
    expect(
      await page.$eval('[data-testid="time-slider"]', (s) => (s as HTMLInputElement).max),
    ).toBe("7");
    await screenshot(page, "analyst-dashboard");

    // As of moment 4: everything inserted, nothing done yet.
    await page.$eval('[data-testid="time-slider"]', (s) => {
      (s as HTMLInputElement).value = "4";
      s.dispatchEvent(new Event("input"));
    });
    await page.waitForSelector("body[data-as-of-index='4']");
    expect(await users(page)).toEqual([
      { owner: "alice", total: 3, done: 0, open: 3 },
      { owner: "bob", total: 2, done: 0, open: 2 },
    ]);
    // As of moment 1: alice's first two todos only.
    await page.$eval('[data-testid="time-slider"]', (s) => {
      (s as HTMLInputElement).value = "1";
      s.dispatchEvent(new Event("input"));
    });
    await page.waitForSelector("body[data-as-of-index='1']");
    expect(await users(page)).toEqual([{ owner: "alice", total: 2, done: 0, open: 2 }]);
    await screenshot(page, "analyst-dashboard-as-of");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("serves lake files to admin tokens only, with Range requests", async () => {
    const admin = await token("admin", true);
    const config = (await (
      await fetch(`${baseUrl}/iceberg/v1/config`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as {
      defaults: { warehouse: string };
    };
    const loaded = (await (
      await fetch(`${baseUrl}/iceberg/v1/namespaces/todos/tables/todos`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { "metadata-location": string };
    const key = loaded["metadata-location"].slice(config.defaults.warehouse.length + 1);
    const whole = await fetch(`${baseUrl}/lake/${key}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(whole.status).toBe(200);
    const bytes = new Uint8Array(await whole.arrayBuffer());
    const part = await fetch(`${baseUrl}/lake/${key}`, {
      headers: { authorization: `Bearer ${admin}`, range: "bytes=2-9" },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 2-9/${bytes.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(2, 10));
    const user = await fetch(`${baseUrl}/lake/${key}`, {
      headers: { authorization: `Bearer ${await token("alice")}` },
    });
    expect(user.status).toBe(403);
    const missing = await fetch(`${baseUrl}/lake/todos/todos/nope.parquet`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe("NOT_FOUND");
  });

  it("the command line reads the same lake, as of an HLC, and live through the gateway", async () => {
    const sql =
      "SELECT owner, count(*) AS total, count(*) FILTER (WHERE completed) AS done FROM todos GROUP BY owner ORDER BY owner";
    const now = await query(sql, "--format", "json");
    expect(now.code).toBe(0);
    expect(JSON.parse(now.out)).toEqual([
      { owner: "alice", total: 3, done: 2 },
      { owner: "bob", total: 2, done: 1 },
    ]);
    const then = await query(sql, "--format", "json", "--as-of", String(at(4)));
    expect(JSON.parse(then.out)).toEqual([
      { owner: "alice", total: 3, done: 0 },
      { owner: "bob", total: 2, done: 0 },
    ]);
    // An unflushed todo: the live union reads the gateway's raw log (admin), whatever its rules.
    await push("bob", [insert("bob", "b3", 8, "Bake bread")]);
    const live = await query(
      "SELECT title FROM todos WHERE NOT private ORDER BY title",
      "--live",
      "--gateway-url",
      baseUrl,
      "--format",
      "json",
    );
    expect(live.err).toBe("");
    expect(JSON.parse(live.out).map((r: { title: string }) => r.title)).toEqual([
      "Bake bread",
      "Buy oat milk",
      "File taxes",
      "Fix bike",
      "Water plants",
    ]);
  });
});
