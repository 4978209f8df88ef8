import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  icebergFlushTarget,
  type LakeSyncBatch,
  lakeTables,
  planScan,
  readLakeTable,
  type ScanFile,
} from "@lakesync/catalogue/node";
import {
  Compactor,
  DEFAULT_MEMORY_BUDGET_BYTES,
  DEFAULT_TARGET_FILE_BYTES,
  type Progress,
} from "@lakesync/compactor";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import "@lakesync/parquet/node";
import { type BenchRow, table } from "./harness.js";
import { runCappedChild } from "./support/capped-child.js";
import { buildTable } from "./support/compactor-build.js";
import { describeFiles, summariseFiles } from "./support/compactor-files.js";
import { foldSql } from "./support/compactor-fold-sql.js";
import { openFileLake } from "./support/file-lake.js";

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

// ---------------------------------------------------------------------------------------------
// The child: compact, measuring memory.
if (process.argv[2] === "--compact") {
  const dir = process.argv[3] ?? "";
  const lake = await openFileLake(dir);
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
const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-compactor-"));
const lake = await openFileLake(dir);
const target = icebergFlushTarget({
  ...lake,
  namespace: ["bench"],
  buckets: BUCKETS,
  retry: { backoffMs: () => 0 },
});
const flush = async (batch: LakeSyncBatch) =>
  unwrapOrThrow(await unwrapOrThrow(await target.write(batch)).commit());

const tBuild = performance.now();
const { deleted } = await buildTable(flush, schema, {
  rows: N,
  insertBatch: INSERT_BATCH,
  updateFlushes: UPDATE_FLUSHES,
  updateBatch: UPDATE_BATCH,
  log,
});
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

async function duckRead(plan: Awaited<ReturnType<typeof mainPlan>>): Promise<number> {
  const t = performance.now();
  const result = await duck.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM (${foldSql(plan, pathOf)})`,
  );
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
    `COPY (SELECT *, regexp_extract(filename, 'row_id_bucket=(\\d+)', 1) AS bucket FROM (${foldSql(before, pathOf)}))
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
// V8's old generation capped at the budget: the compaction must live within it.
const child = runCappedChild(fileURLToPath(import.meta.url), ["--compact", dir]);
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

const reopened = await openFileLake(dir);
Object.assign(lake, reopened);
const after = await mainPlan();
log(`after: ${after.dataFiles.length} data files, ${after.deleteFiles.length} delete files`);
const written = await summariseFiles(lake.location, after.dataFiles);
log(`compacted files: ${describeFiles(written)}`);
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
    note: `${before.dataFiles.length} data + ${before.deleteFiles.length} delete files → ${describeFiles(written)}; state table ${(m.stateMs / 1000).toFixed(1)} s more`,
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
    "WebAssembly Parquet encoder included). Compacted files stream to the lake row group by row group,",
    `so the budget bounds the row groups, not the files: the target is ${MiB(DEFAULT_TARGET_FILE_BYTES)} and each of the`,
    `${BUCKETS} partitions (${(m.main.bytes / BUCKETS / 2 ** 20).toFixed(1)} MiB on average) fits in one file. Rates are per row read.`,
    "",
  ].join("\n"),
);
