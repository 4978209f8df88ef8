import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  currentSchema,
  icebergFlushTarget,
  type LakeSyncLogEntry,
  lakeTables,
  planScan,
  readFileColumns,
} from "@lakesync/catalogue/node";
import {
  Compactor,
  DEFAULT_MEMORY_BUDGET_BYTES,
  lakeCheckpoint,
  planLakeCheckpoint,
} from "@lakesync/compactor";
import {
  encodeHLC,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { encodeCheckpointChunk } from "@lakesync/proto";
import "@lakesync/parquet/node";
import { type BenchRow, table } from "./harness.js";
import { runCappedChild } from "./support/capped-child.js";
import { openFileLake } from "./support/file-lake.js";

const N = Number(process.env.BENCH_LAKE_CHECKPOINT_ROWS ?? 1_000_000);
const BATCH = 50_000;
const CHUNK_BYTES = 4 * 1024 * 1024;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const schema: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "owner", type: "string" },
  ],
};
const MiB = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

interface ChildResult {
  readonly ms: number;
  readonly rows: number;
  readonly chunks: number;
  readonly wireBytes: number;
  readonly peakHeap: number;
  readonly baseHeap: number;
  /** The process's largest resident set, and its resident set at start. */
  readonly maxRss: number;
  readonly baseRss: number;
}

// ---------------------------------------------------------------------------------------------
// A child: one way of serving the checkpoint, its peak heap sampled.
if (process.argv[2] === "--child") {
  const mode = process.argv[3];
  const lake = await openFileLake(process.argv[4] ?? "");
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 5);
  const baseHeap = process.memoryUsage().heapUsed;
  const baseRss = process.memoryUsage().rss;
  const options = { ...lake, namespace: ["bench"], gatewayId: "bench", chunkBytes: CHUNK_BYTES };
  let rows = 0;
  let chunks = 0;
  let wireBytes = 0;
  const t0 = performance.now();
  if (mode === "stream") {
    const plan = unwrapOrThrow(await planLakeCheckpoint(options));
    for await (const chunk of plan.chunks()) {
      const bytes = unwrapOrThrow(encodeCheckpointChunk(unwrapOrThrow(chunk)));
      wireBytes += bytes.byteLength;
      chunks++;
      sample();
    }
    rows = plan.tables.reduce((n, t) => n + t.rows, 0);
  } else if (mode === "whole") {
    const built = unwrapOrThrow(await lakeCheckpoint(options));
    sample();
    for (const chunk of built.chunks)
      wireBytes += unwrapOrThrow(encodeCheckpointChunk(chunk)).byteLength;
    chunks = built.chunks.length;
    rows = built.tables.reduce((n, t) => n + t.rows, 0);
  } else {
    // The floor: decoding every column of every file the checkpoint reads, keeping nothing.
    const ids = lakeTables(["bench"], "todos");
    for (const id of [ids.main, ids.state]) {
      const { metadata } = unwrapOrThrow(await lake.catalogue.loadTable(id));
      const plan = unwrapOrThrow(await planScan(lake.location, metadata));
      const fields = currentSchema(metadata).fields.map((f) => ({ id: f.id, name: f.name }));
      for (const file of plan.dataFiles) {
        const bytes = unwrapOrThrow(await lake.location.read(file.dataFile.filePath));
        const read = unwrapOrThrow(await readFileColumns(bytes, fields));
        if (id === ids.main) rows += read.rowCount;
        sample();
      }
    }
  }
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const result: ChildResult = { ms, rows, chunks, wireBytes, peakHeap, baseHeap, maxRss, baseRss };
  process.stdout.write(JSON.stringify(result));
  await lake.catalogue.close();
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// The parent: build and compact the table, then run each mode in a child.
const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-lake-checkpoint-"));
const lake = await openFileLake(dir);
const target = icebergFlushTarget({ ...lake, namespace: ["bench"], buckets: 16 });
let seq = 1_000_000n << 16n;
log(`building ${N} rows in ${Math.ceil(N / BATCH)} flushes, then compacting`);
for (let from = 0; from < N; from += BATCH) {
  const entries: LakeSyncLogEntry[] = [];
  const states = new Map<string, RowState>();
  for (let i = from; i < Math.min(N, from + BATCH); i++) {
    const hlc = unwrapOrThrow(encodeHLC(1_700_000_000_000 + i, 0));
    const clientId = `c${i % 7}`;
    const values = { title: `todo number ${i}`, completed: i % 3 === 0, owner: `user${i % 50}` };
    const rowId = `row-${i.toString(36).padStart(6, "0")}`;
    states.set(rowId, {
      columns: Object.fromEntries(
        Object.entries(values).map(([name, value]) => [name, { value, hlc, clientId }]),
      ),
    });
    const delta: RowDelta = {
      op: "INSERT",
      table: "todos",
      rowId,
      clientId,
      columns: Object.entries(values).map(([column, value]) => ({ column, value })),
      hlc,
      deltaId: i.toString(16).padStart(64, "0"),
    };
    entries.push({ seq: seq++ as HLCTimestamp, delta });
  }
  const first = entries[0] as LakeSyncLogEntry;
  const last = entries[entries.length - 1] as LakeSyncLogEntry;
  const written = unwrapOrThrow(
    await target.write({
      gatewayId: "bench",
      table: "todos",
      schema,
      entries,
      range: { min: first.seq, max: last.seq },
      at: new Date(0),
      rowStates: async (ids) =>
        Ok(
          new Map(ids.flatMap((id) => (states.has(id) ? [[id, states.get(id) as RowState]] : []))),
        ),
    }),
  );
  unwrapOrThrow(await written.commit());
}
unwrapOrThrow(await new Compactor(lake).compactNamespace(["bench"]));
await lake.catalogue.close();

function child(mode: "stream" | "whole" | "read"): ChildResult | undefined {
  log(`${mode} in a child process (V8 heap capped at ${MiB(DEFAULT_MEMORY_BUDGET_BYTES)})`);
  const run = runCappedChild(fileURLToPath(import.meta.url), ["--child", mode, dir]);
  if (run.status !== 0) {
    log(`${mode}: the child failed (exit ${run.status}, signal ${run.signal ?? "none"})`);
    return undefined;
  }
  return JSON.parse(run.stdout) as ChildResult;
}

const stream = child("stream");
const whole = child("whole");
const read = child("read");
rmSync(dir, { recursive: true, force: true });
if (!stream || !read) throw new Error("the streamed checkpoint or the plain read failed");
const rate = (r: ChildResult) => (r.rows * 1000) / r.ms;
const heap = (r: ChildResult) =>
  `peak heap ${MiB(r.peakHeap)} (${MiB(r.baseHeap)} at start), RSS +${MiB(r.maxRss - r.baseRss)}`;
const rows: BenchRow[] = [
  {
    name: "decode every file the checkpoint reads",
    opsPerSec: rate(read),
    unit: "rows",
    note: heap(read),
  },
  whole
    ? {
        name: "checkpoint built whole in memory (lakeCheckpoint)",
        opsPerSec: rate(whole),
        unit: "rows",
        baseline: "decode every file the checkpoint reads",
        note: `${whole.chunks} chunks, ${MiB(whole.wireBytes)} on the wire; ${heap(whole)}`,
      }
    : {
        name: "checkpoint built whole in memory (lakeCheckpoint)",
        opsPerSec: 0,
        unit: "rows",
        note: `ran out of the ${MiB(DEFAULT_MEMORY_BUDGET_BYTES)} heap`,
      },
  {
    name: "checkpoint streamed chunk by chunk (planLakeCheckpoint)",
    opsPerSec: rate(stream),
    unit: "rows",
    baseline: "decode every file the checkpoint reads",
    note: `${stream.chunks} chunks of up to ${MiB(CHUNK_BYTES)}, ${MiB(stream.wireBytes)} on the wire; ${heap(stream)}`,
  },
];
process.stdout.write(
  table(`lake checkpoint: serving a ${N / 1e6}M-row compacted table to a new client`, rows),
);
process.stdout.write(
  [
    "",
    `Each mode ran in a child process whose V8 old generation was capped at ${MiB(DEFAULT_MEMORY_BUDGET_BYTES)} (the`,
    "compaction budget) and young generation at 3 x 16 MiB; the peak heap counts both, garbage",
    "included (sampled every 5 ms). The streamed checkpoint reads the table twice (a pass that counts the",
    "chunks, then one that builds them as they are sent) and encodes every chunk to wire bytes;",
    "the whole checkpoint holds every chunk at once. Rates are rows served per second.",
    "",
  ].join("\n"),
);
