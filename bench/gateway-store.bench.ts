/**
 * @module bench/gateway-store
 * The gateway over its SQL store at scale: millions of rows and log entries with the heap capped
 * at a Durable Object's 128 MB. Ingest with a cold cache (new rows) and a warm one, a full pull
 * of the log and a streamed checkpoint, against the in-memory gateway and raw `node:sqlite`
 * upserts of the same states. The measuring runs in a child process whose V8 heap is capped
 * (`--max-old-space-size=128`): if anything grew with the data it would die.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { deltaId, HLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { openNodeSqlite, SqlGatewayStore, SyncGateway } from "@lakesync/gateway/node";
import { type BenchRow, table } from "./harness.js";

const ROWS = Number(process.env.BENCH_STORE_ROWS ?? 5_000_000);
const HEAP_MB = 128;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const schema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" as const },
    { name: "completed", type: "boolean" as const },
    { name: "owner", type: "string" as const },
  ],
};
const clock = new HLC();

function makeDeltas(from: number, count: number, title = "todo"): RowDelta[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const hlc = clock.now();
    const rowId = `row-${i}`;
    const columns = [
      { column: "title", value: `${title} number ${i}` },
      { column: "completed", value: i % 2 === 0 },
      { column: "owner", value: "alice" },
    ];
    return {
      op: "INSERT",
      table: "todos",
      rowId,
      clientId: "bench",
      columns,
      hlc,
      deltaId: deltaId({ clientId: "bench", hlc, table: "todos", rowId, columns }),
    };
  });
}

async function ingest(gateway: SyncGateway, from: number, count: number, title?: string) {
  let busy = 0;
  for (let i = from; i < from + count; i += 1000) {
    const deltas = makeDeltas(i, Math.min(1000, from + count - i), title);
    const t0 = performance.now();
    unwrapOrThrow(await gateway.handlePush({ clientId: "bench", deltas, lastSeenHlc: HLC_ZERO }));
    busy += performance.now() - t0;
  }
  return (count * 1000) / busy;
}

/** The child: everything over the SQL store, with the heap capped; prints rows as JSON. */
async function child(): Promise<void> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 50);
  const dir = mkdtempSync(join(tmpdir(), "lakesync-store-bench-"));
  const path = join(dir, "gateway.sqlite");
  const store = new SqlGatewayStore(() => openNodeSqlite(path));
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: "bench", autoFlush: false, store, logRetention: ROWS }),
  );
  unwrapOrThrow(await gateway.setSchema(schema));
  const out: BenchRow[] = [];
  log(`SQL store: ingest ${ROWS} new rows`);
  const cold = await ingest(gateway, 0, ROWS);
  log("SQL store: 20k updates of cached rows");
  await ingest(gateway, ROWS - 20_000, 10_000, "warm-up");
  const warm = await ingest(gateway, ROWS - 10_000, 10_000, "edited");
  log("SQL store: pull the whole log");
  let t0 = performance.now();
  let cursor = HLC_ZERO;
  let pulled = 0;
  for (;;) {
    const page = unwrapOrThrow(
      await gateway.handlePull({ clientId: "r", sinceHlc: cursor, maxDeltas: 10_000 }),
    );
    pulled += page.deltas.length;
    cursor = page.serverHlc;
    if (!page.hasMore) break;
  }
  const pull = (pulled * 1000) / (performance.now() - t0);
  log("SQL store: stream a checkpoint of every row");
  t0 = performance.now();
  const plan = unwrapOrThrow(await gateway.checkpoint());
  const planned = performance.now() - t0;
  let rows = 0;
  for await (const result of plan.chunks()) {
    const chunk = unwrapOrThrow(result);
    if (chunk.payload.kind === "deltas")
      rows += new Set(chunk.payload.deltas.map((d) => d.rowId)).size;
  }
  const checkpoint = (rows * 1000) / (performance.now() - t0);
  sample();
  clearInterval(timer);
  gc();
  const settled = process.memoryUsage().heapUsed;
  const stats = gateway.stats();
  unwrapOrThrow(await gateway.close({ flush: false }));
  const bytes = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  out.push(
    {
      name: "SQL store: push ingest, new rows (cold cache)",
      opsPerSec: cold,
      unit: "deltas",
      baseline: "in-memory gateway: push ingest, new rows",
      note: `${stats.rows} rows and ${stats.logEntries} log entries; heap peak ${mib(peak)}, ${mib(settled)} after GC (V8 heap capped at ${HEAP_MB} MB); database ${mib(bytes)}`,
    },
    {
      name: "SQL store: push ingest, edits of cached rows (warm cache)",
      opsPerSec: warm,
      unit: "deltas",
      baseline: "in-memory gateway: push ingest, new rows",
    },
    {
      name: "SQL store: pull the whole log (pages of 10k)",
      opsPerSec: pull,
      unit: "deltas",
      note: `${pulled} deltas`,
    },
    {
      name: "SQL store: checkpoint of every row, streamed",
      opsPerSec: checkpoint,
      unit: "rows",
      note: `${plan.chunkCount} chunks of up to 4 MiB; planning ${(planned / 1000).toFixed(1)} s of ${((rows / checkpoint) * 1).toFixed(1)} s`,
    },
  );
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The parent: baselines in this process, the SQL store in a capped child. */
async function parent(): Promise<void> {
  const rows: BenchRow[] = [];
  log("in-memory gateway: 200k new rows");
  const memory = unwrapOrThrow(await SyncGateway.open({ gatewayId: "mem", autoFlush: false }));
  unwrapOrThrow(await memory.setSchema(schema));
  const inMemory = await ingest(memory, 0, 200_000);
  await memory.close({ flush: false });
  log("raw node:sqlite: 200k upserts of row-state JSON, 1000 per transaction");
  const dir = mkdtempSync(join(tmpdir(), "lakesync-raw-"));
  const sql = unwrapOrThrow(openNodeSqlite(join(dir, "raw.sqlite")));
  sql.exec(
    "CREATE TABLE s (tbl TEXT NOT NULL, row_id TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID",
  );
  const state = JSON.stringify({ c: [["title", "todo number 1", "1", "bench"]] });
  const t0 = performance.now();
  for (let i = 0; i < 200_000; i += 1000)
    sql.transaction(() => {
      for (let k = i; k < i + 1000; k++)
        sql.exec(
          "INSERT INTO s (tbl, row_id, state) VALUES (?, ?, ?) ON CONFLICT (tbl, row_id) DO UPDATE SET state = excluded.state",
          "todos",
          `row-${k}`,
          state,
        );
    });
  const raw = (200_000 * 1000) / (performance.now() - t0);
  sql.close?.();
  rmSync(dir, { recursive: true, force: true });
  rows.push(
    {
      name: "in-memory gateway: push ingest, new rows",
      opsPerSec: inMemory,
      unit: "deltas",
      note: "200k rows; memory grows with them (the SQL store's baseline)",
    },
    {
      name: "raw node:sqlite upserts, 1000 per transaction",
      opsPerSec: raw,
      unit: "rows",
      note: "one statement per row, fsync per transaction: the floor under the SQL store",
    },
  );
  log(`SQL store in a child with a ${HEAP_MB} MB heap: ${ROWS} rows`);
  const result = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      "--conditions=@lakesync/source",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
    ],
    {
      encoding: "utf8",
      env: { ...process.env, LAKESYNC_BENCH_CHILD: "1" },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0)
    throw new Error(`the SQL store run failed (exit ${result.status}): out of heap or an error`);
  const lines = result.stdout.trim().split("\n");
  for (const row of JSON.parse(lines[lines.length - 1] ?? "[]") as BenchRow[]) rows.push(row);
  process.stdout.write(table("gateway store: millions of rows in a 128 MB heap", rows));
}

if (process.env.LAKESYNC_BENCH_CHILD === "1") await child();
else await parent();
