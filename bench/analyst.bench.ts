/**
 * @module bench/analyst
 * SQL over the lake through `DuckDBClient` (LakeSync's scan planning, merge-on-read of equality
 * deletes by sequence number) against DuckDB querying the same Parquet files directly with
 * `read_parquet` in the same run; and `UnionReader` merging 100k unflushed deltas into a lake
 * table, against core's merge folding the same deltas alone.
 */
import "@lakesync/parquet/node";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import { DuckDBClient, inProcessSource, UnionReader } from "@lakesync/analyst/node";
import {
  commitSnapshot,
  createLakeLocation,
  createTableIfMissing,
  type DataFile,
  icebergFlushTarget,
  type LakeLocation,
  UNPARTITIONED_SPEC,
} from "@lakesync/catalogue";
import { openSqlCatalogue } from "@lakesync/catalogue/node";
import {
  applyToRowState,
  deltaId,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import { type BenchRow, measure, table } from "./harness.js";

const N = Number(process.env.BENCH_ANALYST_ROWS ?? 1_000_000);
const FILES = 8;
const UPDATED = Math.round(N / 10);
const PENDING = Number(process.env.BENCH_ANALYST_PENDING ?? 100_000);
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);

const root = mkdtempSync(join(tmpdir(), "lakesync-bench-analyst-"));
const lakeDir = join(root, "lake");
const adapter = new FileSystemAdapter({ root: lakeDir, sync: false });
const warehouse = pathToFileURL(lakeDir).href;
const catalogue = unwrapOrThrow(await openSqlCatalogue({ warehouse, adapter, sqlite: ":memory:" }));
const location: LakeLocation = unwrapOrThrow(createLakeLocation(warehouse, adapter));
const duck = await (
  await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  })
).connect();

// ---- 1M rows in 8 Parquet files with Iceberg field ids, committed as one append snapshot.
const events = { namespace: ["bench"], name: "events" };
const created = unwrapOrThrow(
  await createTableIfMissing(catalogue, events, {
    schema: {
      type: "struct",
      "schema-id": 0,
      "identifier-field-ids": [1],
      fields: [
        { id: 1, name: "row_id", required: true, type: "string" },
        { id: 2, name: "user", required: false, type: "string" },
        { id: 3, name: "amount", required: false, type: "double" },
        { id: 4, name: "done", required: false, type: "boolean" },
      ],
    },
    partitionSpec: UNPARTITIONED_SPEC,
  }),
);
const dataDir = `${created.metadata.location}/data`;
const pathOf = (uri: string) => join(lakeDir, unwrapOrThrow(location.keyOf(uri)));
const FIELD_IDS = "FIELD_IDS {row_id: 1, user: 2, amount: 3, done: 4}";

async function writeFile(
  uri: string,
  select: string,
  content: 0 | 2,
  rows: number,
): Promise<DataFile> {
  const path = pathOf(uri);
  const ids = content === 2 ? "FIELD_IDS {row_id: 1}" : FIELD_IDS;
  await duck.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ${ids})`);
  return {
    content,
    filePath: uri,
    fileFormat: "PARQUET",
    partition: {},
    recordCount: rows,
    fileSizeInBytes: statSync(path).size,
    ...(content === 2 ? { equalityIds: [1] } : {}),
  };
}

log(`writing ${N / 1e6}M rows in ${FILES} files`);
await duck.run(
  `CREATE OR REPLACE MACRO ev(i) AS STRUCT_PACK(row_id := 'r' || i, user := 'user' || (i % 100), amount := (i % 1000) / 10.0, done := i % 3 = 0)`,
);
const { mkdirSync } = await import("node:fs");
mkdirSync(pathOf(dataDir), { recursive: true });
const per = N / FILES;
const base: DataFile[] = [];
for (let f = 0; f < FILES; f++)
  base.push(
    await writeFile(
      `${dataDir}/base-${f}.parquet`,
      `SELECT UNNEST(ev(i)) FROM range(${f * per}, ${(f + 1) * per}) t(i)`,
      0,
      per,
    ),
  );
const first = unwrapOrThrow(
  await commitSnapshot({
    catalogue,
    location,
    table: events,
    operation: "append",
    addedFiles: base,
  }),
);
// ---- 10% of the rows updated: a data file with their new values, an equality delete of their ids.
const updated = await writeFile(
  `${dataDir}/updated.parquet`,
  `SELECT 'r' || i AS row_id, 'user' || (i % 100) AS user, 1.0::DOUBLE AS amount, true AS done FROM range(0, ${N}, 10) t(i)`,
  0,
  UPDATED,
);
const deletes = await writeFile(
  `${dataDir}/updated-deletes.parquet`,
  `SELECT 'r' || i AS row_id FROM range(0, ${N}, 10) t(i)`,
  2,
  UPDATED,
);
unwrapOrThrow(
  await commitSnapshot({
    catalogue,
    location,
    table: events,
    operation: "overwrite",
    addedFiles: [updated, deletes],
  }),
);

const GROUP_BY = (from: string) =>
  `SELECT user, count(*) AS n, sum(amount) AS total, count(*) FILTER (WHERE done) AS done FROM ${from} GROUP BY user`;
const list = (files: readonly DataFile[]) =>
  `[${files.map((f) => `'${pathOf(f.filePath)}'`).join(", ")}]`;
const opts = { opsPerCall: N, minMs: 1500, warmup: 2 };

log("DuckDB read_parquet baselines");
const direct = await measure(() => duck.run(GROUP_BY(`read_parquet(${list(base)})`)), opts);
const directAll = await measure(
  () => duck.run(GROUP_BY(`read_parquet(${list([...base, updated])})`)),
  opts,
);

log("DuckDBClient, no deletes");
const atFirst = unwrapOrThrow(
  await DuckDBClient.open({
    catalogue,
    location,
    namespace: ["bench"],
    at: { snapshotId: first.snapshot["snapshot-id"] },
  }),
);
const check = unwrapOrThrow(await atFirst.query("SELECT count(*) AS n FROM events")).rows[0]?.n;
if (check !== N) throw new Error(`expected ${N} rows, got ${String(check)}`);
const client = await measure(() => atFirst.query(GROUP_BY("events")), opts);
const planned = await measure(async () => {
  const c = unwrapOrThrow(
    await DuckDBClient.open({
      catalogue,
      location,
      namespace: ["bench"],
      at: { snapshotId: first.snapshot["snapshot-id"] },
    }),
  );
  await c.query(GROUP_BY("events"));
  await c.close();
}, opts);
await atFirst.close();

log("DuckDBClient, 10% of rows under equality deletes");
const current = unwrapOrThrow(
  await DuckDBClient.open({ catalogue, location, namespace: ["bench"] }),
);
const live = unwrapOrThrow(
  await current.query(
    "SELECT count(*) AS n, count(*) FILTER (WHERE amount = 1.0) AS u FROM events",
  ),
).rows[0];
if (live?.n !== N) throw new Error(`expected ${N} live rows, got ${JSON.stringify(live)}`);
const merged = await measure(() => current.query(GROUP_BY("events")), opts);
await current.close();

// ---- UnionReader: a lake table of 10k rows plus PENDING unflushed deltas.
log(`UnionReader with ${PENDING / 1e3}k unflushed deltas`);
const ROWS = 10_000;
let seq = 1_000_000n << 16n;
const states = new Map<string, RowState>();
const log2: { seq: HLCTimestamp; delta: RowDelta }[] = [];
const mk = (i: number, hlc: bigint, title: string): RowDelta => {
  const stamp = hlc as HLCTimestamp;
  const columns = [{ column: "title", value: title }];
  const rowId = `t${i % ROWS}`;
  return {
    op: "UPDATE",
    table: "todos",
    rowId,
    clientId: "c",
    hlc: stamp,
    columns,
    deltaId: deltaId({ clientId: "c", hlc: stamp, table: "todos", rowId, columns }),
  };
};
const seeded: { seq: HLCTimestamp; delta: RowDelta }[] = [];
for (let i = 0; i < ROWS; i++) {
  const d = { ...mk(i, (1n << 40n) + BigInt(i), `task ${i}`), op: "INSERT" as const };
  states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
  seeded.push({ seq: seq++ as HLCTimestamp, delta: d });
}
const target = icebergFlushTarget({ catalogue, location, namespace: ["gw"], history: false });
const written = unwrapOrThrow(
  await target.write({
    gatewayId: "gw",
    table: "todos",
    schema: { table: "todos", columns: [{ name: "title", type: "string" }] },
    entries: seeded,
    range: {
      min: (seeded[0] as { seq: HLCTimestamp }).seq,
      max: (seeded[ROWS - 1] as { seq: HLCTimestamp }).seq,
    },
    at: new Date(0),
    rowStates: async (ids) =>
      Ok(
        new Map(
          ids.flatMap((id) => {
            const s = states.get(id);
            return s ? [[id, s] as const] : [];
          }),
        ),
      ),
  }),
);
unwrapOrThrow(await written.commit());
for (let i = 0; i < PENDING; i++)
  log2.push({ seq: seq++ as HLCTimestamp, delta: mk(i, (2n << 40n) + BigInt(i), `edit ${i}`) });
const gateway = {
  gatewayId: "gw",
  async handlePull(pull: { sinceHlc: HLCTimestamp; maxDeltas: number }) {
    let lo = 0;
    while (lo < log2.length && (log2[lo] as { seq: HLCTimestamp }).seq <= pull.sinceHlc) lo++;
    const page = log2.slice(lo, lo + pull.maxDeltas);
    const last = page[page.length - 1];
    return Ok({
      deltas: page.map((e) => e.delta),
      serverHlc: last ? last.seq : pull.sinceHlc,
      hasMore: lo + page.length < log2.length,
    });
  },
};
const reader = new UnionReader({
  catalogue,
  location,
  namespace: ["gw"],
  source: inProcessSource(gateway),
  pageSize: 10_000,
});
const union = unwrapOrThrow(await reader.read("todos"));
if (union.pendingDeltas !== PENDING || union.rows.size !== ROWS)
  throw new Error("the union is off");
const unionRate = await measure(() => reader.read("todos"), {
  opsPerCall: PENDING,
  minMs: 1500,
  warmup: 1,
});
const foldRate = await measure(
  () => {
    const s = new Map<string, RowState>();
    for (const { delta } of log2)
      s.set(delta.rowId, applyToRowState(s.get(delta.rowId) ?? EMPTY_ROW_STATE, delta));
  },
  { opsPerCall: PENDING, minMs: 1500, warmup: 1 },
);

await catalogue.close();
duck.closeSync();
rmSync(root, { recursive: true, force: true });

const M = `${N / 1e6}M`;
const rows: BenchRow[] = [
  {
    name: `GROUP BY over ${M} rows: DuckDB read_parquet (baseline)`,
    opsPerSec: direct,
    unit: "rows",
    note: `${FILES} files`,
  },
  {
    name: `GROUP BY over ${M} rows: DuckDBClient view`,
    opsPerSec: client,
    unit: "rows",
    baseline: `GROUP BY over ${M} rows: DuckDB read_parquet (baseline)`,
    note: "no delete files: a plain read_parquet with a field-id schema",
  },
  {
    name: `GROUP BY over ${M} rows: DuckDBClient.open + query`,
    opsPerSec: planned,
    unit: "rows",
    baseline: `GROUP BY over ${M} rows: DuckDB read_parquet (baseline)`,
    note: "planning (catalogue, manifests) included",
  },
  {
    name: `GROUP BY, 10% updated: DuckDB read_parquet of all data files (baseline)`,
    opsPerSec: directAll,
    unit: "rows",
    note: `${FILES + 1} files, deletes not applied (${(N + UPDATED) / 1e6}M rows)`,
  },
  {
    name: `GROUP BY, 10% updated: DuckDBClient merge-on-read`,
    opsPerSec: merged,
    unit: "rows",
    baseline: `GROUP BY, 10% updated: DuckDB read_parquet of all data files (baseline)`,
    note: `${UPDATED / 1e3}k row ids in an equality-delete file`,
  },
  {
    name: `core merge of ${PENDING / 1e3}k deltas (baseline)`,
    opsPerSec: foldRate,
    unit: "deltas",
    note: "applyToRowState alone",
  },
  {
    name: `UnionReader: ${ROWS / 1e3}k lake rows + ${PENDING / 1e3}k unflushed deltas`,
    opsPerSec: unionRate,
    unit: "deltas",
    baseline: `core merge of ${PENDING / 1e3}k deltas (baseline)`,
    note: "lake row states read + pulls in pages of 10k + merge",
  },
];
process.stdout.write(table("analyst: SQL over the lake and union reads", rows));
