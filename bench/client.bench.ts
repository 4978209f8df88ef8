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
import { isMainThread, Worker, workerData } from "node:worker_threads";
import {
  applyDeltas,
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
}

// The persistence rows seed their databases in a worker thread (so the main thread measured
// afterwards holds none of that garbage) and run the replica in one: there this file only does that.
if (!isMainThread) {
  const { dir, name, seedRows } = workerData as { dir: string; name: string; seedRows?: number };
  const snapshots = new FileSnapshotStore(dir);
  if (seedRows !== undefined) {
    const db = unwrapOrThrow(await LocalDB.open({ name, snapshots, persistDebounceMs: 3_600_000 }));
    unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
    const clock = new HLC();
    for (let i = 0; i < seedRows; i += 10_000) {
      const page: RowDelta[] = [];
      for (let j = i; j < Math.min(seedRows, i + 10_000); j++) {
        const hlc = clock.now();
        const rowId = `00000000-0000-4000-8000-${j.toString(16).padStart(12, "0")}`;
        const columns = [
          { column: "title", value: `row ${j}` },
          { column: "completed", value: j % 2 === 0 },
          { column: "owner", value: "alice" },
        ];
        const id = deltaId({ clientId: "seed", hlc, table: "todos", rowId, columns });
        page.push({
          op: "INSERT",
          table: "todos",
          rowId,
          clientId: "seed",
          columns,
          hlc,
          deltaId: id,
        });
      }
      unwrapOrThrow(applyDeltas(db, page));
    }
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
{
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
{
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

  log(`initial sync of ${SYNC_ROWS} rows from a checkpoint (in process)`);
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
  const fresh = unwrapOrThrow(await LocalDB.open({ name: "fresh", persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(fresh, TODO_SCHEMA));
  const sync = new SyncCoordinator({
    db: fresh,
    queue: new MemoryQueue(),
    transport: new LocalTransport({ gateway, claims: { sub: "alice" } }),
    clock: new HLC(),
    clientId: "fresh",
  });
  const t1 = performance.now();
  unwrapOrThrow(await sync.syncNow());
  const seconds = (performance.now() - t1) / 1000;
  const count =
    unwrapOrThrow(fresh.query<{ n: number }>("SELECT count(*) AS n FROM todos"))[0]?.n ?? 0;
  rows.push({
    name: `initial sync: ${SYNC_ROWS / 1e3}k rows from a checkpoint to queryable`,
    opsPerSec: count / seconds,
    unit: "rows",
    note: `${seconds.toFixed(1)} s`,
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
for (const count of SIZE_ROWS) {
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
for (const count of PERSIST_ROWS) {
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

// Latency A -> B through the Node gateway with WebSocket notifications.
{
  log(`latency: ${LATENCY_ROUNDS} writes from A to B through the Node gateway`);
  const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-"));
  const config = unwrapOrThrow(
    loadConfig({ PORT: "0", LAKESYNC_DATA_DIR: dir, LAKESYNC_FLUSH_MAX_AGE_MS: "86400000" }),
  );
  const server = unwrapOrThrow(await startServer(config));
  const token = await devToken(DEV_JWT_SECRET, "alice", false);
  const client = async (id: string) => {
    const db = unwrapOrThrow(await LocalDB.open({ name: id, persistDebounceMs: 3_600_000 }));
    unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
    const queue = new MemoryQueue();
    const clock = new HLC();
    const transport = new HttpTransport({
      baseUrl: server.url,
      gatewayId: "todos",
      token: () => token,
    });
    return {
      db,
      tracker: new SyncTracker({ db, queue, clock, clientId: id }),
      sync: new SyncCoordinator({
        db,
        queue,
        transport,
        clock,
        clientId: id,
        intervalMs: 3_600_000,
      }),
    };
  };
  const a = await client("a");
  const b = await client("b");
  b.sync.start();
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_ROUNDS; i++) {
    const id = `lat-${i}`;
    const arrived = new Promise<void>((resolve) => {
      const stop = b.db.watch<{ n: number }>(
        "SELECT count(*) AS n FROM todos WHERE id = ?",
        [id],
        (r) => {
          if ((r[0]?.n ?? 0) > 0) {
            queueMicrotask(() => stop());
            resolve();
          }
        },
      );
    });
    const t0 = performance.now();
    unwrapOrThrow(
      await a.tracker.insert("todos", {
        id,
        title: "ping",
        completed: false,
        owner: "alice",
        private: true,
      }),
    );
    await a.sync.syncNow();
    await arrived;
    samples.push(performance.now() - t0);
  }
  b.sync.stop();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  samples.sort((x, y) => x - y);
  const pct = (p: number) =>
    samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0;
  rows.push({
    name: "write on A to row on B (HTTP push, WebSocket notify, pull)",
    opsPerSec: 1000 / pct(0.5),
    unit: "writes",
    note: `p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms (goals 5 ms, 25 ms); ${LATENCY_ROUNDS} rounds on loopback`,
  });
}

process.stdout.write(table("client: writes, pulls, initial sync, persistence and latency", rows));
// Debounced snapshot timers of the benchmark databases would keep the process alive.
process.exit(0);
