/**
 * @module bench/parquet
 * Deltas to Parquet and back, against DuckDB writing and reading the same data.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBAppender, DuckDBInstance, listValue } from "@duckdb/node-api";
import { deltaId, encodeHLC, type RowDelta, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { readParquetToDeltas, writeDeltasToParquet } from "@lakesync/parquet/node";
import * as wasm from "parquet-wasm/node";
import { type BenchRow, measure, table } from "./harness.js";

const N = Number(process.env.BENCH_PARQUET_DELTAS ?? 1_000_000);
// DuckDB's JS-object paths (appender in, getRowObjectsJS out) run at under 100k rows/s, so they
// are timed on the first SUBSET deltas to keep the suite near a minute; rates are per row.
const SUBSET = Math.min(N, 100_000);
const schema: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "priority", type: "number" },
    { name: "completed", type: "boolean" },
    { name: "meta", type: "json" },
  ],
};
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);

/** Appends one delta as a row of the delta-file layout (op … _present, title, priority, …). */
function appendDelta(appender: DuckDBAppender, d: RowDelta): void {
  appender.appendVarchar(d.op);
  appender.appendVarchar(d.table);
  appender.appendVarchar(d.rowId);
  appender.appendVarchar(d.clientId);
  appender.appendUBigInt(d.hlc);
  appender.appendVarchar(d.deltaId);
  appender.appendList(listValue(d.columns.map((c) => c.column)));
  const byName = new Map(d.columns.map((c) => [c.column, c.value]));
  const title = byName.get("title");
  const priority = byName.get("priority");
  const completed = byName.get("completed");
  const meta = byName.get("meta");
  if (typeof title === "string") appender.appendVarchar(title);
  else appender.appendNull();
  if (typeof priority === "number") appender.appendDouble(priority);
  else appender.appendNull();
  if (typeof completed === "boolean") appender.appendBoolean(completed);
  else appender.appendNull();
  if (meta !== undefined && meta !== null) appender.appendVarchar(JSON.stringify(meta));
  else appender.appendNull();
  appender.endRow();
}

// Delta ids are SHA-256 hex; hashing a million deltas here would only slow the set-up, so all but
// the first thousand get pseudo-random hex of the same length and entropy.
let seed = 0x2545f491;
const hex32 = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0).toString(16).padStart(8, "0");
};
const randomId = () =>
  hex32() + hex32() + hex32() + hex32() + hex32() + hex32() + hex32() + hex32();

log(`building ${N} deltas`);
const deltas: RowDelta[] = Array.from({ length: N }, (_, i) => {
  const hlc = unwrapOrThrow(encodeHLC(1_700_000_000_000 + Math.floor(i / 8), i % 8));
  const columns =
    i % 4 === 0
      ? [
          { column: "title", value: `todo number ${i}` },
          { column: "priority", value: i % 5 },
          { column: "completed", value: false },
          { column: "meta", value: { tags: ["home"], n: i } },
        ]
      : [{ column: "completed", value: i % 2 === 0 }];
  const base = {
    table: "todos",
    rowId: `r${i % 50_000}`,
    clientId: `client-${i % 3}`,
    hlc,
    columns,
  };
  return {
    ...base,
    op: i % 4 === 0 ? "INSERT" : "UPDATE",
    deltaId: i < 1_000 ? deltaId(base) : randomId(),
  };
});

const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-"));
const instance = await DuckDBInstance.create(":memory:", {
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
});
const duck = await instance.connect();
const opts = { opsPerCall: N, minMs: 0, warmup: 1 };

log("LakeSync write");
let bytes: Uint8Array = new Uint8Array();
const write = await measure(() => {
  bytes = unwrapOrThrow(writeDeltasToParquet(deltas, schema));
}, opts);
const ours = join(dir, "ours.parquet");
writeFileSync(ours, bytes);
const zstd = unwrapOrThrow(writeDeltasToParquet(deltas, schema, { compression: "zstd" }));

log("parquet-wasm alone: the same Arrow data, already serialised, to Parquet");
// The floor under any parquet-wasm writer: no JS objects to convert, only the WASM encoder.
const ipc = wasm.readParquet(bytes).intoIPCStream();
const encodeOnly = await measure(
  () =>
    wasm.writeParquet(
      wasm.Table.fromIPCStream(ipc),
      new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build(),
    ),
  opts,
);

log("DuckDB write (same rows, loaded into a DuckDB table first)");
await duck.run(`CREATE TABLE d AS SELECT * FROM read_parquet('${ours}')`);
const theirs = join(dir, "duck.parquet");
const copy = () => duck.run(`COPY d TO '${theirs}' (FORMAT parquet, COMPRESSION snappy)`);
const duckWrite = await measure(copy, opts);
const duckBytes = statSync(theirs).size;
await duck.run("SET threads = 1");
const duckWrite1 = await measure(copy, opts);
await duck.run("RESET threads");

log("DuckDB from the same JS deltas: appender, then COPY");
// The like-for-like flush: the deltas start as JS objects in both cases.
const duckFromJs = await measure(
  async () => {
    await duck.run("CREATE OR REPLACE TABLE e AS SELECT * FROM d LIMIT 0");
    const appender = await duck.createAppender("e");
    for (let i = 0; i < SUBSET; i++) appendDelta(appender, deltas[i] as RowDelta);
    appender.closeSync();
    await duck.run(`COPY e TO '${theirs}' (FORMAT parquet, COMPRESSION snappy)`);
  },
  { opsPerCall: SUBSET, minMs: 0, warmup: 0 },
);

log("LakeSync read");
const read = await measure(() => unwrapOrThrow(readParquetToDeltas(bytes)).length, opts);
log("DuckDB read into JS objects");
const duckRead = await measure(
  async () =>
    (
      await duck.runAndReadAll(`SELECT * FROM read_parquet('${ours}') LIMIT ${SUBSET}`)
    ).getRowObjectsJS().length,
  { opsPerCall: SUBSET, minMs: 0, warmup: 1 },
);
rmSync(dir, { recursive: true, force: true });

const perRow = (n: number) => `${(n / N).toFixed(1)} B/row`;
const rows: BenchRow[] = [
  {
    name: `write ${N / 1e6}M deltas (LakeSync, snappy)`,
    opsPerSec: write,
    unit: "deltas",
    baseline: "DuckDB COPY TO parquet",
    note: `${perRow(bytes.byteLength)}; zstd ${perRow(zstd.byteLength)}`,
  },
  {
    name: "parquet-wasm alone (Arrow IPC in, Parquet out)",
    opsPerSec: encodeOnly,
    unit: "rows",
    baseline: "DuckDB COPY TO parquet",
    note: "the ceiling for a parquet-wasm writer on this machine",
  },
  {
    name: "DuckDB COPY TO parquet",
    opsPerSec: duckWrite,
    unit: "rows",
    note: `rows already in a DuckDB table; default threads (2 cores); ${perRow(duckBytes)}`,
  },
  {
    name: "DuckDB COPY TO parquet, 1 thread",
    opsPerSec: duckWrite1,
    unit: "rows",
    note: "rows already in a DuckDB table",
  },
  {
    name: "write (LakeSync) vs DuckDB on 1 thread",
    opsPerSec: write,
    unit: "deltas",
    baseline: "DuckDB COPY TO parquet, 1 thread",
  },
  {
    name: "DuckDB appender from the JS deltas + COPY",
    opsPerSec: duckFromJs,
    unit: "deltas",
    note: `the same job as LakeSync's: JS objects in, a Parquet file out; first ${SUBSET / 1e3}k deltas`,
  },
  {
    name: "write (LakeSync) vs DuckDB from JS objects",
    opsPerSec: write,
    unit: "deltas",
    baseline: "DuckDB appender from the JS deltas + COPY",
  },
  {
    name: `read ${N / 1e6}M deltas (LakeSync)`,
    opsPerSec: read,
    unit: "deltas",
    baseline: "DuckDB read_parquet to JS objects",
  },
  {
    name: "DuckDB read_parquet to JS objects",
    opsPerSec: duckRead,
    unit: "rows",
    note: `getRowObjectsJS; first ${SUBSET / 1e3}k rows`,
  },
];
process.stdout.write(table("parquet: deltas to Parquet and back against DuckDB", rows));
