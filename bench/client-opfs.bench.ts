/**
 * @module bench/client-opfs
 * What one write costs to make durable in Chromium, with 1k, 100k and 1M rows in the database,
 * and the page thread's longest pause meanwhile: the replica on sql.js saving whole snapshots to
 * IndexedDB (on the page's thread, and in a dedicated worker) against the replica in OPFS (the
 * SQLite WebAssembly build's SAH-pool VFS, in a dedicated worker: page-level writes, every commit
 * durable). Each database is seeded in Node (sql.js, the real merge path), served as a file, stored
 * by the page as a sql.js snapshot, and, for OPFS, imported by `LocalDB`'s own migration.
 *
 * Usage: `npm run bench -- client-opfs` (writes bench/results/client-opfs.md). Sizes in
 * BENCH_CLIENT_OPFS_ROWS (default 1000,100000,1000000), writes per case in
 * BENCH_CLIENT_OPFS_ROUNDS (default 20; 10 for the sql.js cases at 1M rows); BENCH_CLIENT_OPFS_ONLY
 * (`sql.js` or `opfs`) runs only that engine's cases.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalDB, type LocalDBEngine, MemorySnapshotStore, registerSchema } from "@lakesync/client";
import { unwrapOrThrow } from "@lakesync/core";
import { TODO_SCHEMA } from "@lakesync/server";
import { type BenchRow, table } from "./harness.js";
import { seedTodos } from "./support/client-seed.js";

const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const SIZES = (process.env.BENCH_CLIENT_OPFS_ROWS ?? "1000,100000,1000000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_CLIENT_OPFS_ROUNDS ?? 20);

/** A sql.js database of `count` todos written through the merge path, as its file's bytes. */
async function seed(count: number): Promise<Uint8Array> {
  const snapshots = new MemorySnapshotStore();
  const db = unwrapOrThrow(await LocalDB.open({ name: "seed", snapshots, persistDebounceMs: 1e9 }));
  unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
  seedTodos(db, count);
  unwrapOrThrow(await db.close());
  const bytes = unwrapOrThrow(await snapshots.load("seed"));
  if (!bytes) throw new Error("no seed snapshot");
  return bytes;
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
};

/** Serves `root` on loopback (a secure context for OPFS). */
async function serve(root: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const file = join(root, path === "/" ? "index.html" : path);
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

interface PersistRun {
  readonly error?: string;
  readonly engine?: string;
  readonly writesMs?: readonly number[];
  readonly longestGapMs?: number;
  readonly longestTaskMs?: number;
}

const quantile = (xs: readonly number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

const outDir = mkdtempSync(join(tmpdir(), "lakesync-opfs-bench-"));
const { build } = await import("vite");
await build({
  root: fileURLToPath(new URL("./client-opfs/", import.meta.url)),
  configFile: false,
  logLevel: "warn",
  resolve: { conditions: ["@lakesync/source", "browser", "module", "import", "default"] },
  optimizeDeps: { exclude: ["@sqlite.org/sqlite-wasm"] },
  worker: { format: "es" },
  build: { outDir, target: "es2022", emptyOutDir: true },
});
const server = await serve(outDir);
const { chromium } = await import("playwright-core");
/** A browser with a profile on disk (storage quota as a user's; incognito's is far smaller). */
async function profile() {
  const dir = mkdtempSync(join(tmpdir(), "lakesync-opfs-profile-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ALL_CASES: readonly { where: "page" | "worker"; engine: LocalDBEngine; label: string }[] = [
  { where: "page", engine: "sql.js", label: "sql.js snapshot to IndexedDB, on the page's thread" },
  { where: "worker", engine: "sql.js", label: "sql.js snapshot to IndexedDB, in a worker" },
  { where: "worker", engine: "opfs", label: "OPFS (SQLite SAH pool), in a worker" },
];

const CASES = ALL_CASES.filter(
  (c) => !process.env.BENCH_CLIENT_OPFS_ONLY || c.engine === process.env.BENCH_CLIENT_OPFS_ONLY,
);
const rows: BenchRow[] = [];
try {
  for (const count of SIZES) {
    const size = count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`;
    log(`seeding ${count} rows in Node`);
    const bytes = await seed(count);
    const mib = (bytes.byteLength / 2 ** 20).toFixed(1);
    writeFileSync(join(outDir, `seed-${count}.sqlite3`), bytes);
    const baseline = `persistence in Chromium, ${size} rows: ${CASES[1]?.label}`;
    for (const c of CASES) {
      const rounds = count >= 1e6 && c.engine === "sql.js" ? Math.min(ROUNDS, 10) : ROUNDS;
      log(`${size} rows: ${c.label}, ${rounds} writes`);
      const browser = await profile();
      const page = await browser.context.newPage();
      page.on("console", (m) => {
        // The favicon's 404 is no news.
        if (m.type() === "error" && !m.text().includes("404")) log(`page: ${m.text()}`);
      });
      await page.goto(server.url);
      await page.waitForFunction(() => "lakesyncPersistBench" in globalThis);

      const run = (await page.evaluate(
        ([url, where, engine, n]) =>
          (
            globalThis as unknown as {
              lakesyncPersistBench: (...a: unknown[]) => Promise<unknown>;
            }
          ).lakesyncPersistBench(url, where, engine, n),
        [`/seed-${count}.sqlite3`, c.where, c.engine, rounds] as const,
      )) as PersistRun;
      await browser.close();
      if (run.error !== undefined || !run.writesMs) throw new Error(`${c.label}: ${run.error}`);
      const median = quantile(run.writesMs, 0.5);
      rows.push({
        name: `persistence in Chromium, ${size} rows: ${c.label}`,
        opsPerSec: 1000 / median,
        unit: "writes",
        ...(c.where === "worker" && c.engine === "sql.js" ? {} : { baseline }),
        note: `write to durable: median ${median.toFixed(1)} ms, max ${Math.max(...run.writesMs).toFixed(1)} ms; page thread: longest gap ${(run.longestGapMs ?? 0).toFixed(0)} ms, longest task ${(run.longestTaskMs ?? 0).toFixed(0)} ms (goal < 50 ms); seed ${mib} MiB; engine ${run.engine}`,
      });
    }
  }
} finally {
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}

process.stdout.write(
  table("client in Chromium: persistence, sql.js snapshots against OPFS (page-level)", rows),
);
