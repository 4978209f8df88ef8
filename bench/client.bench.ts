/**
 * @module bench/client
 * Client writes against raw sql.js, applying pulled deltas, the bytes per row of a LocalDB against
 * plain sql.js, initial sync from a checkpoint, what one write costs to make durable at 1k, 100k
 * and 1M rows (replica on the main thread, and in a worker) with the longest main-thread pause,
 * and the latency of a write on one client reaching another through the Node gateway.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { open, readFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { isMainThread, Worker, workerData } from "node:worker_threads";
import {
  applyDeltas,
  checkpointDeltas,
  HttpTransport,
  hostReplica,
  LocalDB,
  LocalTransport,
  MemoryQueue,
  MemorySnapshotStore,
  openReplicaEngine,
  registerSchema,
  SharedReplica,
  type SnapshotStore,
  SyncCoordinator,
  SyncTracker,
} from "@lakesync/client";
import {
  deltaId,
  encodeHLC,
  HLC,
  HLC_ZERO,
  Ok,
  type RowDelta,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { SyncGateway } from "@lakesync/gateway";
import { DEV_JWT_SECRET, devToken, loadConfig, startServer, TODO_SCHEMA } from "@lakesync/server";
import initSqlJs from "sql.js";
import { type BenchRow, table } from "./harness.js";
import { seedTodos } from "./support/client-seed.js";
import { latencyRow, measureBothPaths } from "./support/realtime-latency.js";
import { workerLatencyRows } from "./support/worker-latency.js";

/** Snapshots in files, written durably (fsync, then an atomic rename), as IndexedDB would. */
class FileSnapshotStore implements SnapshotStore {
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
  }
  async load(name: string) {
    try {
      return Ok(new Uint8Array(await readFile(join(this.#dir, name))));
    } catch {
      return Ok(null);
    }
  }
  async save(name: string, bytes: Uint8Array) {
    const path = join(this.#dir, name);
    const file = await open(`${path}.tmp`, "w");
    await file.writeFile(bytes);
    await file.sync();
    await file.close();
    await rename(`${path}.tmp`, path);
    return Ok(undefined);
  }
  async remove(name: string) {
    rmSync(join(this.#dir, name), { force: true });
    return Ok(undefined);
  }
}

// The persistence rows seed their databases in a worker thread (so the main thread measured
// afterwards holds none of that garbage) and run the replica in one: there this file only does that.
if (!isMainThread) {
  const { dir, name, seedRows } = workerData as { dir: string; name: string; seedRows?: number };
  const snapshots = new FileSnapshotStore(dir);
  if (seedRows !== undefined) {
    const db = unwrapOrThrow(await LocalDB.open({ name, snapshots, persistDebounceMs: 3_600_000 }));
    unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
    seedTodos(db, seedRows);
    unwrapOrThrow(await db.close());
    process.exit(0);
  }
  unwrapOrThrow(
    await hostReplica({
      name,
      autoSync: false,
      open: () =>
        openReplicaEngine({
          clientId: "bench-worker",
          name,
          snapshots,
          queue: new MemoryQueue(),
          transport: {
            push: async () => Ok({ serverHlc: HLC_ZERO }),
            pull: async (r) => Ok({ deltas: [], serverHlc: r.sinceHlc, hasMore: false }),
          },
        }),
    }),
  );
  await new Promise(() => {});
}

const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const N = Number(process.env.BENCH_CLIENT_ROWS ?? 10_000);
const SYNC_ROWS = Number(process.env.BENCH_CLIENT_SYNC_ROWS ?? 100_000);
const SIZE_ROWS = (process.env.BENCH_CLIENT_SIZE_ROWS ?? "10000,100000").split(",").map(Number);
const LATENCY_ROUNDS = Number(process.env.BENCH_CLIENT_LATENCY_ROUNDS ?? 200);
/**
 * `BENCH_ONLY=latency,size` runs only those sections (writes, pull, initial-sync, size,
 * persistence, latency); unset, every section runs.
 */
const ONLY = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const only = (section: string) => ONLY === undefined || ONLY.includes(section);
const schema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" as const },
    { name: "completed", type: "boolean" as const },
    { name: "priority", type: "number" as const },
  ],
};
const rows: BenchRow[] = [];
/** A UUID-shaped row id (36 characters, as `crypto.randomUUID()` gives), deterministic. */
const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const rate = (n: number, t0: number) => (n * 1000) / (performance.now() - t0);

// Writes: tracked (row + row state + delta + outbox) against raw sql.js statements.
if (only("writes")) {
  log(`writes: ${N} inserts and updates`);
  const SQL = await initSqlJs();
  const raw = new SQL.Database();
  raw.run("CREATE TABLE todos (id TEXT PRIMARY KEY, title TEXT, completed INTEGER, priority REAL)");
  let t0 = performance.now();
  for (let i = 0; i < N; i++)
    raw.run("INSERT INTO todos VALUES (?, ?, ?, ?)", [`r${i}`, `todo ${i}`, 0, i % 5]);
  const rawInsert = rate(N, t0);
  t0 = performance.now();
  for (let i = 0; i < N; i++)
    raw.run("UPDATE todos SET title = ? WHERE id = ?", [`todo ${i} (edited)`, `r${i}`]);
  const rawUpdate = rate(N, t0);
  const prepared = raw.prepare("INSERT INTO todos VALUES (?, ?, ?, ?)");
  t0 = performance.now();
  for (let i = 0; i < N; i++) prepared.run([`p${i}`, `todo ${i}`, 0, i % 5]);
  const rawPrepared = rate(N, t0);
  prepared.free();

  const db = unwrapOrThrow(await LocalDB.open({ name: "bench", persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(db, schema));
  const tracker = new SyncTracker({
    db,
    queue: new MemoryQueue(),
    clock: new HLC(),
    clientId: "bench",
  });
  t0 = performance.now();
  for (let i = 0; i < N; i++)
    unwrapOrThrow(
      await tracker.insert("todos", {
        id: `r${i}`,
        title: `todo ${i}`,
        completed: false,
        priority: i % 5,
      }),
    );
  const insert = rate(N, t0);
  t0 = performance.now();
  for (let i = 0; i < N; i++)
    unwrapOrThrow(await tracker.update("todos", `r${i}`, { title: `todo ${i} (edited)` }));
  const update = rate(N, t0);
  rows.push(
    {
      name: "raw sql.js INSERT",
      opsPerSec: rawInsert,
      unit: "rows",
      note: `${N / 1e3}k rows, one db.run each, sql.js defaults (LocalDB keeps its journal in memory)`,
    },
    {
      name: "SyncTracker.insert (row, row state, delta id, outbox)",
      opsPerSec: insert,
      unit: "rows",
      baseline: "raw sql.js INSERT",
      note: "goal 0.5x",
    },
    { name: "raw sql.js INSERT, one prepared statement", opsPerSec: rawPrepared, unit: "rows" },
    {
      name: "SyncTracker.insert vs prepared raw INSERT",
      opsPerSec: insert,
      unit: "rows",
      baseline: "raw sql.js INSERT, one prepared statement",
    },
    { name: "raw sql.js UPDATE", opsPerSec: rawUpdate, unit: "rows" },
    {
      name: "SyncTracker.update (one column)",
      opsPerSec: update,
      unit: "rows",
      baseline: "raw sql.js UPDATE",
      note: "goal 0.5x",
    },
  );
}

// Pulled deltas applied to a LocalDB.
function seedDeltas(
  count: number,
  clientId: string,
  rowIdOf = (i: number) => `row-${i}`,
): RowDelta[] {
  const clock = new HLC();
  return Array.from({ length: count }, (_, i) => {
    const hlc = clock.now();
    const rowId = rowIdOf(i);
    const columns = [
      { column: "title", value: `row ${i}` },
      { column: "completed", value: i % 2 === 0 },
      { column: "owner", value: "alice" },
    ];
    return {
      op: "INSERT",
      table: "todos",
      rowId,
      clientId,
      columns,
      hlc,
      deltaId: deltaId({ clientId, hlc, table: "todos", rowId, columns }),
    };
  });
}
if (only("pull")) {
  log(`apply ${SYNC_ROWS} pulled deltas`);
  const deltas = seedDeltas(SYNC_ROWS, "remote");
  const db = unwrapOrThrow(await LocalDB.open({ name: "pull", persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
  const t0 = performance.now();
  for (let i = 0; i < deltas.length; i += 1000)
    unwrapOrThrow(applyDeltas(db, deltas.slice(i, i + 1000)));
  rows.push({
    name: "pull: deltas applied to LocalDB (pages of 1000)",
    opsPerSec: rate(SYNC_ROWS, t0),
    unit: "deltas",
    note: "LWW against row states, then the table row",
  });
  const uuidDeltas = seedDeltas(SYNC_ROWS, "remote", uuid);
  const uuidDb = unwrapOrThrow(
    await LocalDB.open({ name: "pull-uuid", persistDebounceMs: 3_600_000 }),
  );
  unwrapOrThrow(registerSchema(uuidDb, TODO_SCHEMA));
  const t2 = performance.now();
  for (let i = 0; i < uuidDeltas.length; i += 1000)
    unwrapOrThrow(applyDeltas(uuidDb, uuidDeltas.slice(i, i + 1000)));
  rows.push({
    name: "pull: deltas with UUID row ids (pages of 1000)",
    opsPerSec: rate(SYNC_ROWS, t2),
    unit: "deltas",
    baseline: "pull: deltas applied to LocalDB (pages of 1000)",
    note: "36-character row ids, as crypto.randomUUID() gives",
  });
}

// Initial sync: a fresh replica from the gateway's checkpoint to queryable (in process: no network,
// no encoding), against raw sql.js inserting the same rows in one transaction with one prepared
// statement (LocalDB's pragmas), and, up to 100k rows, against the row-by-row merge of every chunk
// (the path before bulk apply). `BENCH_CLIENT_INITIAL_SYNC_ROWS` (or `BENCH_CLIENT_SYNC_ROWS`, which
// also sizes the pull rows) sets the sizes: `BENCH_ONLY=initial-sync BENCH_CLIENT_SYNC_ROWS=1000000`.
const INITIAL_SYNC_ROWS = (
  process.env.BENCH_CLIENT_INITIAL_SYNC_ROWS ??
  process.env.BENCH_CLIENT_SYNC_ROWS ??
  "100000,1000000"
)
  .split(",")
  .map(Number);
for (const count of only("initial-sync") ? INITIAL_SYNC_ROWS : []) {
  const label = count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`;
  log(`initial sync of ${count} rows from a checkpoint (in process)`);
  const deltas = seedDeltas(count, "remote");
  const SQL = await initSqlJs();
  const raw = new SQL.Database();
  for (const pragma of ["journal_mode = MEMORY", "synchronous = OFF", "locking_mode = EXCLUSIVE"])
    raw.run(`PRAGMA ${pragma}`);
  raw.run(
    "CREATE TABLE todos (id TEXT PRIMARY KEY NOT NULL, title TEXT, completed INTEGER, created_at TEXT, updated_at TEXT, owner TEXT, private INTEGER)",
  );
  let t0 = performance.now();
  raw.run("BEGIN");
  const insert = raw.prepare("INSERT INTO todos VALUES (?, ?, ?, NULL, NULL, ?, NULL)");
  for (const d of deltas) {
    const [title, completed, owner] = d.columns.map((c) => c.value);
    insert.run([d.rowId, title as string, completed ? 1 : 0, owner as string]);
  }
  insert.free();
  raw.run("COMMIT");
  const rawSeconds = (performance.now() - t0) / 1000;
  raw.close();
  const baseline = `raw sql.js: ${label} rows in one transaction, one prepared INSERT`;
  rows.push({
    name: baseline,
    opsPerSec: count / rawSeconds,
    unit: "rows",
    note: `${rawSeconds.toFixed(1)} s; the table only, no merge state`,
  });

  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: "bench", autoFlush: false, maxPushDeltas: 100_000 }),
  );
  unwrapOrThrow(await gateway.setSchema(TODO_SCHEMA));
  for (let i = 0; i < deltas.length; i += 10_000)
    unwrapOrThrow(
      await gateway.handlePush({
        clientId: "remote",
        deltas: deltas.slice(i, i + 10_000),
        lastSeenHlc: HLC_ZERO,
      }),
    );
  deltas.length = 0;
  const fresh = unwrapOrThrow(await LocalDB.open({ name: "fresh", persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(fresh, TODO_SCHEMA));
  const sync = new SyncCoordinator({
    db: fresh,
    queue: new MemoryQueue(),
    transport: new LocalTransport({ gateway, claims: { sub: "alice" } }),
    clock: new HLC(),
    clientId: "fresh",
  });
  let events = 0;
  let chunks = 0;
  sync.onProgress((p) => {
    events++;
    chunks = p.chunkCount;
  });
  const cpu = process.cpuUsage();
  t0 = performance.now();
  unwrapOrThrow(await sync.syncNow());
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  const synced =
    unwrapOrThrow(fresh.query<{ n: number }>("SELECT count(*) AS n FROM todos"))[0]?.n ?? 0;
  unwrapOrThrow(await fresh.close());
  rows.push({
    name: `initial sync: ${label} rows from a checkpoint to queryable`,
    opsPerSec: synced / seconds,
    unit: "rows",
    baseline,
    note: `${seconds.toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, gateway included); ${events} progress events over ${chunks} chunks; goal 1M in 10 s`,
  });

  if (count <= 100_000) {
    const exact = unwrapOrThrow(
      await LocalDB.open({ name: "exact", persistDebounceMs: 3_600_000 }),
    );
    unwrapOrThrow(registerSchema(exact, TODO_SCHEMA));
    const plan = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }));
    t0 = performance.now();
    for await (const chunk of plan.chunks())
      unwrapOrThrow(applyDeltas(exact, checkpointDeltas(unwrapOrThrow(chunk))));
    const exactSeconds = (performance.now() - t0) / 1000;
    unwrapOrThrow(await exact.close());
    rows.push({
      name: `initial sync: ${label} rows, every chunk merged row by row (before bulk apply)`,
      opsPerSec: count / exactSeconds,
      unit: "rows",
      baseline,
      note: `${exactSeconds.toFixed(1)} s; applyDeltas per chunk, gateway included`,
    });
  }
}

// Initial sync over HTTP from the Node gateway, in Node and in Chromium (Debian's
// /usr/bin/chromium through playwright-core, as tests/e2e): the page of bench/browser-sync, built
// with vite, downloads the checkpoint and applies it. Runs for the sizes in
// BENCH_CLIENT_BROWSER_ROWS (unset: not at all; it builds the page and starts a browser).
const BROWSER_ROWS = (process.env.BENCH_CLIENT_BROWSER_ROWS ?? "")
  .split(",")
  .filter((n) => n !== "")
  .map(Number);
for (const count of only("browser-sync") ? BROWSER_ROWS : []) {
  const label = count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`;
  log(`initial sync of ${count} rows over HTTP, in Node and in Chromium`);
  const { build } = await import("vite");
  const { chromium } = await import("playwright-core");
  const page = fileURLToPath(new URL("./browser-sync/", import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), "lakesync-browser-bench-"));
  await build({
    root: page,
    configFile: false,
    logLevel: "warn",
    resolve: { conditions: ["@lakesync/source", "browser", "module", "import", "default"] },
    build: { outDir, target: "es2022", emptyOutDir: true },
  });
  const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-"));
  const config = unwrapOrThrow(
    loadConfig({
      PORT: "0",
      LAKESYNC_DATA_DIR: dir,
      LAKESYNC_STATIC_DIR: outDir,
      LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
    }),
  );
  const server = unwrapOrThrow(await startServer(config));
  const token = await devToken(DEV_JWT_SECRET, "alice", false);
  const http = () =>
    new HttpTransport({ baseUrl: server.url, gatewayId: "todos", token: () => token });
  const seeder = http();
  const deltas = seedDeltas(count, "seed");
  for (let i = 0; i < deltas.length; i += 1_000)
    unwrapOrThrow(
      await seeder.push({
        clientId: "seed",
        deltas: deltas.slice(i, i + 1_000),
        lastSeenHlc: HLC_ZERO,
      }),
    );
  deltas.length = 0;

  const db = unwrapOrThrow(await LocalDB.open({ name: "http", persistDebounceMs: 3_600_000 }));
  const sync = new SyncCoordinator({
    db,
    queue: new MemoryQueue(),
    transport: http(),
    clock: new HLC(),
    clientId: "node-http",
    intervalMs: 3_600_000,
  });
  let t0 = performance.now();
  unwrapOrThrow(await sync.syncNow());
  const nodeSeconds = (performance.now() - t0) / 1000;
  unwrapOrThrow(await db.close());
  const inNode = `initial sync over HTTP in Node: ${label} rows to queryable`;
  rows.push({
    name: inNode,
    opsPerSec: count / nodeSeconds,
    unit: "rows",
    note: `${nodeSeconds.toFixed(1)} s; the Node gateway on loopback, protobuf frames`,
  });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const tab = await (await browser.newContext()).newPage();
  t0 = performance.now();
  await tab.goto(`${server.url}/?token=${encodeURIComponent(token)}`);
  await tab.waitForFunction(() => "lakesyncBench" in globalThis, undefined, {
    timeout: 0,
    polling: 250,
  });
  const result = (await tab.evaluate(() => Reflect.get(globalThis, "lakesyncBench"))) as {
    error?: string;
    seconds?: number;
    rows?: number;
    progress?: unknown[];
    heapBytes?: number;
  };
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  if (result.error !== undefined || result.seconds === undefined)
    throw new Error(`the browser's initial sync failed: ${result.error}`);
  const heap =
    result.heapBytes === undefined
      ? ""
      : `, JS heap ${(result.heapBytes / 2 ** 20).toFixed(0)} MiB`;
  rows.push({
    name: `initial sync over HTTP in Chromium: ${label} rows to queryable`,
    opsPerSec: (result.rows ?? 0) / result.seconds,
    unit: "rows",
    baseline: inNode,
    note: `${result.seconds.toFixed(1)} s, ${result.rows} rows; ${result.progress?.length ?? 0} progress events${heap}`,
  });
}

// Bytes per row: a LocalDB (rows, merge state, every table LakeSync keeps) after VACUUM against
// plain sql.js holding the same rows. A 4-column todo table (id, title, completed, priority) with
// UUID row ids: every row inserted by one client, half of them edited a day later by another.
const T0 = Date.UTC(2026, 0, 1);
function sizeDeltas(count: number): RowDelta[] {
  const deltas: RowDelta[] = [];
  const stamp = (clientId: string, wallMs: number) => ({
    clientId,
    hlc: unwrapOrThrow(encodeHLC(wallMs, 0)),
    deltaId: "",
  });
  for (let i = 0; i < count; i++)
    deltas.push({
      op: "INSERT",
      table: "todos",
      rowId: uuid(i),
      columns: [
        { column: "title", value: `todo ${i}` },
        { column: "completed", value: false },
        { column: "priority", value: i % 5 },
      ],
      ...stamp("6f9619ff-8b86-4011-b42d-00c04fc964ff", T0 + i * 10),
    });
  for (let i = 0; i < count; i += 2)
    deltas.push({
      op: "UPDATE",
      table: "todos",
      rowId: uuid(i),
      columns: [{ column: "title", value: `todo ${i} (edited)` }],
      ...stamp("1b4e28ba-2fa1-41d2-883f-0016d3cca427", T0 + 86_400_000 + i * 10),
    });
  return deltas;
}
async function localBytes(count: number, sizeSchema: TableSchema): Promise<number> {
  const snapshots = new MemorySnapshotStore();
  const db = unwrapOrThrow(
    await LocalDB.open({ name: "size", snapshots, persistDebounceMs: 3_600_000 }),
  );
  unwrapOrThrow(registerSchema(db, sizeSchema));
  const deltas = sizeDeltas(count);
  for (let i = 0; i < deltas.length; i += 1000)
    unwrapOrThrow(applyDeltas(db, deltas.slice(i, i + 1000)));
  unwrapOrThrow(db.exec("VACUUM"));
  unwrapOrThrow(await db.close());
  return unwrapOrThrow(await snapshots.load("size"))?.byteLength ?? 0;
}
async function plainBytes(count: number): Promise<number> {
  const SQL = await initSqlJs();
  const plain = new SQL.Database();
  plain.run(
    "CREATE TABLE todos (id TEXT PRIMARY KEY NOT NULL, title TEXT, completed INTEGER, priority REAL)",
  );
  plain.run("BEGIN");
  const insert = plain.prepare("INSERT INTO todos VALUES (?, ?, ?, ?)");
  for (let i = 0; i < count; i++) insert.run([uuid(i), `todo ${i}`, 0, i % 5]);
  insert.free();
  const update = plain.prepare("UPDATE todos SET title = ? WHERE id = ?");
  for (let i = 0; i < count; i += 2) update.run([`todo ${i} (edited)`, uuid(i)]);
  update.free();
  plain.run("COMMIT");
  plain.run("VACUUM");
  const bytes = plain.export().byteLength;
  plain.close();
  return bytes;
}
for (const count of only("size") ? SIZE_ROWS : []) {
  log(`bytes per row: ${count} rows in a LocalDB and in plain sql.js`);
  const plain = await plainBytes(count);
  const local = await localBytes(count, schema);
  const label = `${count / 1e3}k rows`;
  const perMiB = (bytes: number) => (count * 2 ** 20) / bytes;
  rows.push(
    {
      name: `size: plain sql.js, ${label} (VACUUM)`,
      opsPerSec: perMiB(plain),
      unit: "rows/MiB",
      note: `${(plain / count).toFixed(1)} B/row; 4-column todo table, UUID ids, half the rows edited once`,
    },
    {
      name: `size: LocalDB, ${label} (VACUUM)`,
      opsPerSec: perMiB(local),
      unit: "rows/MiB",
      baseline: `size: plain sql.js, ${label} (VACUUM)`,
      note: `${(local / count).toFixed(1)} B/row, ${(local / plain).toFixed(2)}x plain sql.js (goal at most 1.5x)`,
    },
  );
}

// Persistence: one write made durable (its row, and a snapshot holding it written with fsync) in
// databases of 1k, 100k and 1M rows, with the replica on the page's thread (as LocalDB is used on
// its own) and in a worker (as the todo app runs it: the page only passes messages). The longest
// pause of the main thread's event loop is measured over the same writes.
const PERSIST_ROWS = (process.env.BENCH_CLIENT_PERSIST_ROWS ?? "1000,100000,1000000")
  .split(",")
  .map(Number);
const PERSIST_ROUNDS = Number(process.env.BENCH_CLIENT_PERSIST_ROUNDS ?? 20);
const neverLead = { request: () => new Promise<never>(() => {}) };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const newTodo = (id: string) => ({
  id,
  title: "one more",
  completed: false,
  owner: "alice",
  private: true,
});
/** Main-thread CPU per measured write, in ms, the pause monitor's 10 ms ticks included. */
const cpuPerWrite = (used: { user: number; system: number }) =>
  ((used.user + used.system) / 1000 / PERSIST_ROUNDS).toFixed(2);
const inWorker = (data: { dir: string; name: string; seedRows?: number }) =>
  new Worker(new URL(import.meta.url), {
    workerData: data,
    execArgv: ["--conditions=@lakesync/source", "--import", "tsx"],
  });
for (const count of only("persistence") ? PERSIST_ROWS : []) {
  const label = count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`;
  log(`persistence: ${count} rows, the replica in a worker, then on the main thread`);
  const dir = mkdtempSync(join(tmpdir(), "lakesync-persist-"));
  const name = `persist-${count}`;
  const seeder = inWorker({ dir, name, seedRows: count });
  await new Promise((resolve) => seeder.once("exit", resolve));
  const megabytes = ((await readFile(join(dir, name))).byteLength / 2 ** 20).toFixed(1);

  const worker = inWorker({ dir, name });
  const replica = SharedReplica.open({ name, locks: neverLead, autoSync: false });
  unwrapOrThrow(await replica.ready());
  unwrapOrThrow(await replica.insert("todos", newTodo("warm-up")));
  unwrapOrThrow(await replica.flush());
  const there: number[] = [];
  let loop = monitorEventLoopDelay({ resolution: 10 });
  let cpu = process.threadCpuUsage();
  loop.enable();
  for (let i = 0; i < PERSIST_ROUNDS; i++) {
    const t0 = performance.now();
    unwrapOrThrow(await replica.insert("todos", newTodo(`there-${i}`)));
    unwrapOrThrow(await replica.flush());
    there.push(performance.now() - t0);
  }
  loop.disable();
  const therePause = loop.max / 1e6;
  const thereCpu = cpuPerWrite(process.threadCpuUsage(cpu));
  await replica.close();
  await worker.terminate();

  const snapshots = new FileSnapshotStore(dir);
  const db = unwrapOrThrow(await LocalDB.open({ name, snapshots, persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
  const tracker = new SyncTracker({
    db,
    queue: new MemoryQueue(),
    clock: new HLC(),
    clientId: "me",
  });
  const here: number[] = [];
  loop = monitorEventLoopDelay({ resolution: 10 });
  cpu = process.threadCpuUsage();
  loop.enable();
  for (let i = 0; i < PERSIST_ROUNDS; i++) {
    const t0 = performance.now();
    unwrapOrThrow(await tracker.insert("todos", newTodo(`here-${i}`)));
    unwrapOrThrow(await db.persist());
    here.push(performance.now() - t0);
  }
  loop.disable();
  const herePause = loop.max / 1e6;
  const hereCpu = cpuPerWrite(process.threadCpuUsage(cpu));
  unwrapOrThrow(await db.close());
  rmSync(dir, { recursive: true, force: true });
  const thread = `persistence: write to durable, ${label} rows, replica on the main thread`;
  rows.push(
    {
      name: thread,
      opsPerSec: 1000 / median(here),
      unit: "writes",
      note: `median ${median(here).toFixed(1)} ms; main-thread CPU ${hereCpu} ms/write, longest pause ${herePause.toFixed(0)} ms; snapshot ${megabytes} MiB`,
    },
    {
      name: `persistence: write to durable, ${label} rows, replica in a worker`,
      opsPerSec: 1000 / median(there),
      unit: "writes",
      baseline: thread,
      note: `median ${median(there).toFixed(1)} ms; main-thread CPU ${thereCpu} ms/write, longest pause ${therePause.toFixed(0)} ms (goal < 50 ms)`,
    },
  );
}

// Latency A -> B through the Node gateway: B applies the deltas the WebSocket message carries,
// against B pulling after a bare notification (the path before), in the same run; then through
// the Worker under wrangler dev when BENCH_CLIENT_WORKER=1 (it starts workerd: slow).
if (only("latency")) {
  log(`latency: ${LATENCY_ROUNDS} writes from A to B through the Node gateway, each path`);
  const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-"));
  const config = unwrapOrThrow(
    loadConfig({ PORT: "0", LAKESYNC_DATA_DIR: dir, LAKESYNC_FLUSH_MAX_AGE_MS: "86400000" }),
  );
  const server = unwrapOrThrow(await startServer(config));
  const target = {
    url: server.url,
    gatewayId: "todos",
    token: await devToken(DEV_JWT_SECRET, "alice", false),
  };
  const { "notify-then-pull": pulled, deltas: carried } = await measureBothPaths(
    target,
    LATENCY_ROUNDS,
  );
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  const before = "write on A to row on B (HTTP push, WebSocket notify, pull)";
  rows.push(
    latencyRow(before, pulled),
    latencyRow(
      "write on A to row on B (HTTP push, deltas in the WebSocket message)",
      carried,
      before,
    ),
  );
  if (process.env.BENCH_CLIENT_WORKER === "1")
    rows.push(...(await workerLatencyRows(LATENCY_ROUNDS)));
}

process.stdout.write(table("client: writes, pulls, initial sync, persistence and latency", rows));
// Debounced snapshot timers of the benchmark databases would keep the process alive.
process.exit(0);
