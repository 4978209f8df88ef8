/**
 * @module bench/catalogue
 * A flush to Iceberg against today's plain Parquet flush of the same deltas (issue 14): 100k
 * touched rows of a table that already holds them (so every row gets an equality delete), written
 * by the gateway's delta-file target (one Parquet file of deltas, no commit) and by the Iceberg
 * flush target (data and delete files per bucket for the table and its state table, the history
 * file, manifests, manifest lists, metadata, three catalogue commits), on the file-system lake with
 * the SQLite catalogue and with the PostgreSQL catalogue. Then the latency of a small flush's
 * commit on each catalogue: the median of 30 ten-row flushes.
 *
 * `BENCH_CATALOGUE_ROWS` changes the 100k; PostgreSQL rows are left out (with a note) when the
 * server does not answer.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import { freshNamespace, PG_URL } from "@lakesync/adapter/testing/node";
import {
  type Catalogue,
  createLakeLocation,
  icebergFlushTarget,
  type LakeSyncBatch,
  type LakeSyncLogEntry,
} from "@lakesync/catalogue";
import { openSqlCatalogue } from "@lakesync/catalogue/node";
import {
  type ColumnCell,
  encodeHLC,
  Ok,
  type RowDelta,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { toFlushTarget } from "@lakesync/gateway";
import "@lakesync/parquet/node";
import pg from "pg";
import { type BenchRow, table } from "./harness.js";

const N = Number(process.env.BENCH_CATALOGUE_ROWS ?? 100_000);
const SMALL = 10;
const COMMITS = 30;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const schema: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "priority", type: "number" },
  ],
};

let wall = 1_700_000_000_000;
const stamp = () => unwrapOrThrow(encodeHLC(wall++, 0));
const rowId = (i: number) => `row-${i.toString(36).padStart(6, "0")}`;

/** A batch touching rows `from..to` (all columns), with the row states the gateway would hold. */
function batchOf(from: number, to: number, round: number): LakeSyncBatch {
  const entries: LakeSyncLogEntry[] = [];
  const states = new Map<string, RowState>();
  for (let i = from; i < to; i++) {
    const hlc = stamp();
    const cell = (value: ColumnCell["value"]): ColumnCell => ({ value, hlc, clientId: "bench" });
    const state: RowState = {
      columns: {
        title: cell(`todo ${i} round ${round}`),
        completed: cell(round % 2 === 1),
        priority: cell((i + round) % 5),
      },
    };
    states.set(rowId(i), state);
    const delta: RowDelta = {
      op: round === 0 ? "INSERT" : "UPDATE",
      table: "todos",
      rowId: rowId(i),
      clientId: "bench",
      columns: Object.entries(state.columns).map(([column, c]) => ({ column, value: c.value })),
      hlc,
      deltaId: `${i.toString(16).padStart(32, "0")}${round.toString(16).padStart(32, "0")}`,
    };
    entries.push({ seq: hlc, delta });
  }
  const first = entries[0] as LakeSyncLogEntry;
  const last = entries[entries.length - 1] as LakeSyncLogEntry;
  return {
    gatewayId: "bench",
    table: "todos",
    schema,
    entries,
    range: { min: first.seq, max: last.seq },
    at: new Date(wall),
    rowStates: async (ids) =>
      Ok(new Map(ids.flatMap((id) => (states.has(id) ? [[id, states.get(id) as RowState]] : [])))),
  };
}

interface Lake {
  readonly catalogue: Catalogue;
  readonly flush: (batch: LakeSyncBatch) => Promise<{ writeMs: number; commitMs: number }>;
}

async function openLake(
  dir: string,
  database: { sqlite: string } | { postgres: { connectionString: string; schema: string } },
): Promise<Lake> {
  const root = join(dir, "lake");
  mkdirSync(root, { recursive: true });
  const adapter = new FileSystemAdapter({ root });
  const warehouse = `file://${root}`;
  const catalogue = unwrapOrThrow(await openSqlCatalogue({ warehouse, adapter, ...database }));
  const location = unwrapOrThrow(createLakeLocation(warehouse, adapter));
  const target = icebergFlushTarget({
    catalogue,
    location,
    namespace: ["bench"],
    retry: { backoffMs: () => 0 },
  });
  return {
    catalogue,
    async flush(batch) {
      const t0 = performance.now();
      const written = unwrapOrThrow(await target.write(batch));
      const t1 = performance.now();
      unwrapOrThrow(await written.commit());
      return { writeMs: t1 - t0, commitMs: performance.now() - t1 };
    },
  };
}

async function postgresUp(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ROUNDS = 3;
const rows: BenchRow[] = [];
const base = mkdtempSync(join(tmpdir(), "lakesync-bench-catalogue-"));
const inserts = batchOf(0, N, 0);
const rounds = Array.from({ length: ROUNDS }, (_, r) => batchOf(0, N, r + 1));

/** Wall and CPU milliseconds of one call. */
async function timed<T>(step: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await step();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

interface Flusher {
  readonly label: string;
  readonly flush: (batch: LakeSyncBatch) => Promise<{ writeMs: number; commitMs: number }>;
  readonly close: () => Promise<void>;
  readonly wall: number[];
  readonly cpu: number[];
  readonly parts: { writeMs: number; commitMs: number }[];
}

function icebergFlusher(label: string, lake: Lake, close: () => Promise<void>): Flusher {
  return { label, flush: lake.flush, close, wall: [], cpu: [], parts: [] };
}

const flushers: Flusher[] = [];
{
  const root = join(base, "plain");
  mkdirSync(root, { recursive: true });
  const target = toFlushTarget({ kind: "lake", adapter: new FileSystemAdapter({ root }) });
  flushers.push({
    label: "plain",
    flush: async (batch) => {
      const t0 = performance.now();
      unwrapOrThrow(await target.write(batch));
      return { writeMs: performance.now() - t0, commitMs: 0 };
    },
    close: async () => {},
    wall: [],
    cpu: [],
    parts: [],
  });
}
const sqliteLake = await openLake(join(base, "sqlite"), { sqlite: join(base, "catalogue.sqlite") });
flushers.push(icebergFlusher("SQLite", sqliteLake, () => sqliteLake.catalogue.close()));
const pgNamespace = (await postgresUp()) ? await freshNamespace("postgres") : undefined;
if (pgNamespace) {
  const pgLake = await openLake(join(base, "postgres"), {
    postgres: { connectionString: PG_URL, schema: pgNamespace.name },
  });
  flushers.push(icebergFlusher("PostgreSQL", pgLake, () => pgLake.catalogue.close()));
} else {
  log(`PostgreSQL at ${PG_URL} does not answer: its rows are left out`);
}

try {
  for (const f of flushers) await f.flush(inserts);
  // Interleaved rounds, so a burst of load on this shared machine hits every flusher alike.
  for (const [r, batch] of rounds.entries()) {
    for (const f of flushers) {
      log(`round ${r + 1}/${ROUNDS}: ${f.label} flush of ${N} touched rows`);
      const t = await timed(() => f.flush(batch));
      f.wall.push(t.ms);
      f.cpu.push(t.cpuMs);
      f.parts.push(t.value);
    }
  }
  const plain = flushers[0] as Flusher;
  const plainName = `plain Parquet flush, ${N / 1000}k deltas`;
  rows.push({
    name: plainName,
    opsPerSec: (N * 1000) / median(plain.wall),
    unit: "rows",
    note: `median of ${ROUNDS}: ${median(plain.wall).toFixed(0)} ms, CPU ${median(plain.cpu).toFixed(0)} ms; one file of deltas, nothing to commit`,
  });
  for (const f of flushers.slice(1)) {
    const cpuRatio = median(plain.cpu) / median(f.cpu);
    rows.push({
      name: `Iceberg flush, ${N / 1000}k touched rows (${f.label} catalogue)`,
      opsPerSec: (N * 1000) / median(f.wall),
      unit: "rows",
      baseline: plainName,
      note: `median of ${ROUNDS}: write ${median(f.parts.map((p) => p.writeMs)).toFixed(0)} ms, commit ${median(f.parts.map((p) => p.commitMs)).toFixed(0)} ms; CPU ${median(f.cpu).toFixed(0)} ms (${cpuRatio.toFixed(2)}x the plain flush's rate in CPU time)`,
    });
  }
  for (const f of flushers.slice(1)) {
    log(`${COMMITS} flushes of ${SMALL} rows (${f.label} catalogue)`);
    const commits: number[] = [];
    const totals: number[] = [];
    for (let k = 0; k < COMMITS; k++) {
      const s = await f.flush(batchOf(k * SMALL, (k + 1) * SMALL, 10 + k));
      commits.push(s.commitMs);
      totals.push(s.writeMs + s.commitMs);
    }
    const commitMs = median(commits);
    rows.push({
      name: `commit of a ${SMALL}-row flush (${f.label} catalogue)`,
      opsPerSec: 1000 / commitMs,
      unit: "flushes",
      note: `median ${commitMs.toFixed(1)} ms for the three snapshots (manifests, manifest lists, metadata, catalogue swaps); the whole flush ${median(totals).toFixed(1)} ms; slowest commit ${Math.max(...commits).toFixed(0)} ms`,
    });
  }
} finally {
  for (const f of flushers) await f.close();
  await pgNamespace?.drop();
  rmSync(base, { recursive: true, force: true });
}

process.stdout.write(
  table("catalogue: a flush to Iceberg against a plain Parquet flush, and commit latency", rows),
);
process.stdout.write(
  [
    "",
    `Both flushes take the same ${N / 1000}k UPDATE deltas of rows an earlier flush inserted; rates`,
    "are rows per second of one flush. The Iceberg flush writes what a reader needs to see live rows",
    "without replaying deltas: per touched bucket a data file and an equality-delete file for the",
    "table and for its merge-state table, plus the raw deltas in the history table, then commits",
    "three snapshots (ADR-014). File-system lake (fsync on); the SQL catalogue on SQLite or",
    "PostgreSQL. Three rounds interleaved, medians; CPU time is the steadier figure on a busy machine.",
    "",
  ].join("\n"),
);
