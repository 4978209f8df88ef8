/**
 * @module bench/compactor
 * Compaction of a table of at least 2M rows built by many flushes (inserts, then updates and
 * deletes): peak memory of the compaction (in a child process, so nothing else is counted),
 * its throughput against DuckDB doing the same fold on the same files (read_parquet, anti-join
 * the equality deletes by sequence number, COPY TO PARQUET per bucket), and the read speed of
 * the table before and after (LakeSync's reader and DuckDB's fold).
 *
 * `node … bench/compactor.bench.ts --compact <dir>` is the child: it compacts the lake in
 * `<dir>` and prints what it measured as JSON.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  type Catalogue,
  createLakeLocation,
  icebergFlushTarget,
  type LakeLocation,
  type LakeSyncBatch,
  type LakeSyncLogEntry,
  lakeTables,
  openSqlCatalogue,
  planScan,
  readLakeTable,
  type ScanFile,
} from "@lakesync/catalogue/node";
import { Compactor, DEFAULT_MEMORY_BUDGET_BYTES, type Progress } from "@lakesync/compactor";
import {
  type ColumnCell,
  encodeHLC,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import "@lakesync/parquet/node";
import { type BenchRow, table } from "./harness.js";

const N = Number(process.env.BENCH_COMPACTOR_ROWS ?? 2_000_000);
const INSERT_BATCH = 50_000;
const UPDATE_FLUSHES = 20;
const UPDATE_BATCH = 10_000;
const BUCKETS = 16;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const schema: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "priority", type: "number" },
    { name: "meta", type: "json" },
  ],
};
const ids = lakeTables(["bench"], "todos");

async function openLake(dir: string): Promise<{ catalogue: Catalogue; location: LakeLocation }> {
  const root = join(dir, "lake");
  mkdirSync(root, { recursive: true });
  const adapter = new FileSystemAdapter({ root, sync: false });
  const warehouse = `file://${root}`;
  return {
    catalogue: unwrapOrThrow(
      await openSqlCatalogue({ warehouse, adapter, sqlite: join(dir, "catalogue.sqlite") }),
    ),
    location: unwrapOrThrow(createLakeLocation(warehouse, adapter)),
  };
}

// ---------------------------------------------------------------------------------------------
// The child: compact, measuring memory.
if (process.argv[2] === "--compact") {
  const dir = process.argv[3] ?? "";
  const lake = await openLake(dir);
  let peakHeap = 0;
  let peakExternal = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  const base = process.memoryUsage();
  const baseMaxRss = process.resourceUsage().maxRSS * 1024;
  const compactor = new Compactor({ ...lake, onProgress: (_: Progress) => sample() });
  const t0 = performance.now();
  const state = unwrapOrThrow(await compactor.compactIcebergTable(ids.state));
  const t1 = performance.now();
  const main = unwrapOrThrow(await compactor.compactIcebergTable(ids.main));
  const t2 = performance.now();
  clearInterval(timer);
  sample();
  process.stdout.write(
    JSON.stringify({
      stateMs: t1 - t0,
      mainMs: t2 - t1,
      state: { rowsRead: state.rowsRead, files: state.filesWritten, bytes: state.bytesWritten },
      main: {
        rowsRead: main.rowsRead,
        rowsWritten: main.rowsWritten,
        rewritten: main.dataFilesRewritten,
        deletesRemoved: main.deleteFilesRemoved,
        files: main.filesWritten,
        bytes: main.bytesWritten,
      },
      baseRss: base.rss,
      baseMaxRss,
      maxRss: process.resourceUsage().maxRSS * 1024,
      baseHeap: base.heapUsed,
      peakHeap,
      baseExternal: base.external + base.arrayBuffers,
      peakExternal,
    }),
  );
  await lake.catalogue.close();
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// The parent: build the table, measure readers and DuckDB, run the child.
let seed = 0x2545f491;
const hex32 = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0).toString(16).padStart(8, "0");
};
const fakeId = () => hex32() + hex32() + hex32() + hex32() + hex32() + hex32() + hex32() + hex32();
let wall = 1_700_000_000_000;
let seq = 0n;
const stamp = () => unwrapOrThrow(encodeHLC(wall++, 0));
const nextSeq = () => (seq++ + (1_000_000n << 16n)) as HLCTimestamp;
const rowId = (i: number) => `row-${i.toString(36).padStart(5, "0")}`;

function insertState(i: number, hlc: HLCTimestamp): RowState {
  const cell = (value: ColumnCell["value"]): ColumnCell => ({ value, hlc, clientId: `c${i % 3}` });
  return {
    columns: {
      title: cell(`todo number ${i}`),
      completed: cell(false),
      priority: cell(i % 5),
      meta: cell({ tags: ["home"], n: i }),
    },
  };
}

function batchOf(entries: LakeSyncLogEntry[], states: Map<string, RowState>): LakeSyncBatch {
  return {
    gatewayId: "bench",
    table: "todos",
    schema,
    entries,
    range: {
      min: (entries[0] as LakeSyncLogEntry).seq,
      max: (entries[entries.length - 1] as LakeSyncLogEntry).seq,
    },
    at: new Date(0),
    rowStates: async (rowIds) =>
      Ok(
        new Map(rowIds.flatMap((id) => (states.has(id) ? [[id, states.get(id) as RowState]] : []))),
      ),
  };
}

const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-compactor-"));
const lake = await openLake(dir);
const target = icebergFlushTarget({
  ...lake,
  namespace: ["bench"],
  buckets: BUCKETS,
  retry: { backoffMs: () => 0 },
});
const flush = async (batch: LakeSyncBatch) =>
  unwrapOrThrow(await unwrapOrThrow(await target.write(batch)).commit());

log(`building ${N} rows: ${Math.ceil(N / INSERT_BATCH)} insert flushes of ${INSERT_BATCH}`);
const tBuild = performance.now();
for (let from = 0; from < N; from += INSERT_BATCH) {
  const entries: LakeSyncLogEntry[] = [];
  const states = new Map<string, RowState>();
  for (let i = from; i < Math.min(N, from + INSERT_BATCH); i++) {
    const hlc = stamp();
    const state = insertState(i, hlc);
    states.set(rowId(i), state);
    const columns = Object.entries(state.columns).map(([column, c]) => ({
      column,
      value: c.value,
    }));
    const delta: RowDelta = {
      op: "INSERT",
      table: "todos",
      rowId: rowId(i),
      clientId: `c${i % 3}`,
      columns,
      hlc,
      deltaId: fakeId(),
    };
    entries.push({ seq: nextSeq(), delta });
  }
  await flush(batchOf(entries, states));
}
log(`${UPDATE_FLUSHES} flushes of ${UPDATE_BATCH} updates and deletes`);
let deleted = 0;
const gone = new Set<number>();
for (let f = 0; f < UPDATE_FLUSHES; f++) {
  const entries: LakeSyncLogEntry[] = [];
  const states = new Map<string, RowState>();
  for (let k = 0; k < UPDATE_BATCH; k++) {
    const i = Number.parseInt(hex32(), 16) % N;
    if (gone.has(i) || states.has(rowId(i))) continue;
    const hlc = stamp();
    const base = insertState(i, unwrapOrThrow(encodeHLC(1_600_000_000_000, 0)));
    const remove = k % 10 === 0;
    let delta: RowDelta;
    if (remove) {
      gone.add(i);
      deleted++;
      states.set(rowId(i), { columns: base.columns, deleted: { hlc, clientId: "cleaner" } });
      delta = {
        op: "DELETE",
        table: "todos",
        rowId: rowId(i),
        clientId: "cleaner",
        columns: [],
        hlc,
        deltaId: fakeId(),
      };
    } else {
      states.set(rowId(i), {
        columns: { ...base.columns, completed: { value: true, hlc, clientId: "laptop" } },
      });
      delta = {
        op: "UPDATE",
        table: "todos",
        rowId: rowId(i),
        clientId: "laptop",
        columns: [{ column: "completed", value: true }],
        hlc,
        deltaId: fakeId(),
      };
    }
    entries.push({ seq: nextSeq(), delta });
  }
  await flush(batchOf(entries, states));
}
const buildSeconds = (performance.now() - tBuild) / 1000;
const live = N - deleted;

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const lakeRoot = join(dir, "lake");
const pathOf = (uri: string) =>
  join(lakeRoot, ...unwrapOrThrow(lake.location.keyOf(uri)).split("/"));

async function mainPlan() {
  const { metadata } = unwrapOrThrow(await lake.catalogue.loadTable(ids.main));
  return unwrapOrThrow(await planScan(lake.location, metadata));
}
const before = await mainPlan();
const sizeOf = (files: readonly ScanFile[]) =>
  files.reduce((n, f) => n + f.dataFile.fileSizeInBytes, 0);
log(
  `table: ${before.dataFiles.length} data files (${(sizeOf(before.dataFiles) / 2 ** 20).toFixed(1)} MiB), ${before.deleteFiles.length} delete files; built in ${buildSeconds.toFixed(0)} s`,
);

const instance = await DuckDBInstance.create(":memory:", {
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
});
const duck = await instance.connect();

/** DuckDB's fold of a plan's files: data minus equality deletes with a higher sequence number. */
function foldSql(plan: Awaited<ReturnType<typeof mainPlan>>): string {
  const values = (list: readonly ScanFile[]) =>
    list.map((f) => `(${quote(pathOf(f.dataFile.filePath))}, ${f.sequenceNumber})`).join(", ");
  const paths = (list: readonly ScanFile[]) =>
    `[${list.map((f) => quote(pathOf(f.dataFile.filePath))).join(", ")}]`;
  const deletes =
    plan.deleteFiles.length === 0
      ? "SELECT NULL::VARCHAR AS row_id, 0 AS seq WHERE false"
      : `SELECT x.row_id, max(f.seq) AS seq FROM read_parquet(${paths(plan.deleteFiles)}, filename = true) x
         JOIN (VALUES ${values(plan.deleteFiles)}) f(file, seq) ON x.filename = f.file GROUP BY x.row_id`;
  return `
    WITH data AS (
           SELECT d.*, f.seq AS _seq
           FROM read_parquet(${paths(plan.dataFiles)}, filename = true, union_by_name = true) d
           JOIN (VALUES ${values(plan.dataFiles)}) f(file, seq) ON d.filename = f.file),
         deletes AS (${deletes})
    SELECT data.* EXCLUDE (_seq) FROM data LEFT JOIN deletes ON deletes.row_id = data.row_id
    WHERE deletes.seq IS NULL OR deletes.seq <= data._seq`;
}

async function duckRead(plan: Awaited<ReturnType<typeof mainPlan>>): Promise<number> {
  const t = performance.now();
  const result = await duck.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM (${foldSql(plan)})`);
  const n = Number(result.getRowObjectsJS()[0]?.n);
  if (n !== live) throw new Error(`DuckDB read ${n} rows, expected ${live}`);
  return (performance.now() - t) / 1000;
}

async function ourRead(): Promise<number> {
  const t = performance.now();
  const read = unwrapOrThrow(
    await readLakeTable({ ...lake, namespace: ["bench"], table: "todos" }),
  );
  if (read.rows.size !== live) throw new Error(`read ${read.rows.size} rows, expected ${live}`);
  return (performance.now() - t) / 1000;
}

log("read before compaction (DuckDB, then LakeSync)");
const duckBefore = await duckRead(before);
const oursBefore = await ourRead();

log("DuckDB: the same fold, COPY TO PARQUET partitioned by bucket");
const out = join(dir, "duck-out");
const duckFold = async (threads: number | undefined) => {
  rmSync(out, { recursive: true, force: true });
  if (threads) await duck.run(`SET threads = ${threads}`);
  const t = performance.now();
  await duck.run(
    `COPY (SELECT *, regexp_extract(filename, 'row_id_bucket=(\\d+)', 1) AS bucket FROM (${foldSql(before)}))
     TO ${quote(out)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (bucket))`,
  );
  const seconds = (performance.now() - t) / 1000;
  await duck.run("RESET threads");
  return seconds;
};
const duckSeconds = await duckFold(undefined);
const duckSeconds1 = await duckFold(1);
const duckFiles = readdirSync(out, { recursive: true }).filter((f) =>
  String(f).endsWith(".parquet"),
);
const duckBytes = duckFiles.reduce((n, f) => n + statSync(join(out, String(f))).size, 0);

log("LakeSync compaction in a child process (default memory budget, V8 heap capped at it)");
await lake.catalogue.close();
const child = spawnSync(
  process.execPath,
  [
    // V8's old generation capped at the budget: the compaction must live within it.
    `--max-old-space-size=${DEFAULT_MEMORY_BUDGET_BYTES / 2 ** 20}`,
    "--max-semi-space-size=16",
    "--conditions=@lakesync/source",
    "--import",
    "tsx",
    fileURLToPath(import.meta.url),
    "--compact",
    dir,
  ],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 },
);
if (child.status !== 0) throw new Error(`the compaction child failed (${child.status})`);
const m = JSON.parse(child.stdout) as {
  stateMs: number;
  mainMs: number;
  state: { rowsRead: number; files: number; bytes: number };
  main: {
    rowsRead: number;
    rowsWritten: number;
    rewritten: number;
    deletesRemoved: number;
    files: number;
    bytes: number;
  };
  baseRss: number;
  maxRss: number;
  baseHeap: number;
  peakHeap: number;
  baseExternal: number;
  peakExternal: number;
};
if (m.main.rowsWritten !== live)
  throw new Error(`compaction wrote ${m.main.rowsWritten} rows, expected ${live}`);

const reopened = await openLake(dir);
Object.assign(lake, reopened);
const after = await mainPlan();
log(`after: ${after.dataFiles.length} data files, ${after.deleteFiles.length} delete files`);
log("read after compaction (DuckDB, then LakeSync)");
const duckAfter = await duckRead(after);
const oursAfter = await ourRead();
await lake.catalogue.close();
duck.closeSync();
rmSync(dir, { recursive: true, force: true });

const MiB = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const mainRows = m.main.rowsRead;
const rows: BenchRow[] = [
  {
    name: `compact ${N / 1e6}M-row table (LakeSync, main table)`,
    opsPerSec: mainRows / (m.mainMs / 1000),
    unit: "rows",
    baseline: "DuckDB fold + COPY TO parquet, 1 thread",
    note: `${before.dataFiles.length} data + ${before.deleteFiles.length} delete files → ${m.main.files} files (${MiB(m.main.bytes)}); state table ${(m.stateMs / 1000).toFixed(1)} s more`,
  },
  {
    name: "DuckDB fold + COPY TO parquet",
    opsPerSec: mainRows / duckSeconds,
    unit: "rows",
    note: `same files, read_parquet + anti-join on sequence numbers, PARTITION_BY bucket; default threads; ${duckFiles.length} files (${MiB(duckBytes)})`,
  },
  {
    name: "DuckDB fold + COPY TO parquet, 1 thread",
    opsPerSec: mainRows / duckSeconds1,
    unit: "rows",
  },
  {
    name: "compact main + state tables, peak memory (child process)",
    opsPerSec: mainRows / ((m.mainMs + m.stateMs) / 1000),
    unit: "rows",
    note: `budget ${MiB(DEFAULT_MEMORY_BUDGET_BYTES)}, the child's V8 old space capped at it; peak RSS ${MiB(m.maxRss)} (process at start ${MiB(m.baseRss)}); peak heap ${MiB(m.peakHeap)} (at start ${MiB(m.baseHeap)}); peak external + array buffers ${MiB(m.peakExternal)}`,
  },
  {
    name: "read before compaction (DuckDB fold, count)",
    opsPerSec: live / duckBefore,
    unit: "rows",
    note: `${before.dataFiles.length + before.deleteFiles.length} files`,
  },
  {
    name: "read after compaction (DuckDB fold, count)",
    opsPerSec: live / duckAfter,
    unit: "rows",
    baseline: "read before compaction (DuckDB fold, count)",
    note: `${after.dataFiles.length + after.deleteFiles.length} files`,
  },
  {
    name: "read before compaction (LakeSync readLakeTable)",
    opsPerSec: live / oursBefore,
    unit: "rows",
  },
  {
    name: "read after compaction (LakeSync readLakeTable)",
    opsPerSec: live / oursAfter,
    unit: "rows",
    baseline: "read before compaction (LakeSync readLakeTable)",
  },
];
process.stdout.write(
  table(`compactor: compaction of a ${N / 1e6}M-row table against DuckDB, memory, reads`, rows),
);
process.stdout.write(
  [
    "",
    `The compaction ran in a child process whose V8 old generation was capped at the ${MiB(DEFAULT_MEMORY_BUDGET_BYTES)}`,
    `budget; its RSS grew by ${MiB(m.maxRss - m.baseRss)} over the process at start (V8's young generation and the`,
    "WebAssembly Parquet encoder included). Under that budget a compacted file holds about",
    `${(m.main.bytes / Math.max(1, m.main.files) / 2 ** 20).toFixed(1)} MiB (ADR-015: rows held in memory cap the file size). Rates are per row read.`,
    "",
  ].join("\n"),
);
