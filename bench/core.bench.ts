/**
 * @module bench/core
 * Core hot paths: HLC stamps, delta extraction, delta ids, and column-level LWW merging compared
 * with Yjs and Automerge merging the same workload.
 */
import * as Automerge from "@automerge/automerge";
import {
  applyToRowState,
  type ColumnValue,
  deltaId,
  EMPTY_ROW_STATE,
  encodeHLC,
  extractDelta,
  HLC,
  materialiseRow,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import * as Y from "yjs";
import { type BenchRow, measure, table } from "./harness.js";

const UPDATES = Number(process.env.BENCH_MERGE_UPDATES ?? 1_000_000);
// Automerge runs out of WASM memory (4 GiB) applying 1M updates at once, so it gets a tenth.
const AUTOMERGE_UPDATES = Math.min(UPDATES, Number(process.env.BENCH_AUTOMERGE_UPDATES ?? 100_000));
const ROWS = 10_000;
const CLIENTS = ["client-a", "client-b", "client-c"] as const;
const COLUMNS = ["title", "done", "priority", "note"] as const;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);

async function micro(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const hlc = new HLC();
  rows.push({
    name: "HLC.now()",
    opsPerSec: await measure(
      () => {
        for (let i = 0; i < 10_000; i++) hlc.now();
      },
      { opsPerCall: 10_000 },
    ),
    unit: "stamps",
    baseline: "Date.now()",
  });
  rows.push({
    name: "Date.now()",
    opsPerSec: await measure(
      () => {
        let x = 0;
        for (let i = 0; i < 10_000; i++) x += Date.now();
        return x;
      },
      { opsPerCall: 10_000 },
    ),
    unit: "calls",
  });

  const before = {
    title: "Buy milk",
    done: false,
    priority: 2,
    note: { tags: ["home"], due: "2026-12-01" },
  };
  const after = { ...before, done: true, note: { due: "2026-12-01", tags: ["home", "urgent"] } };
  const ctx = { table: "todos", rowId: "t1", clientId: "client-a", hlc: hlc.now() };
  rows.push({
    name: "extractDelta (UPDATE, 2 of 4 columns changed)",
    opsPerSec: await measure(
      () => {
        for (let i = 0; i < 1_000; i++) extractDelta(before, after, ctx);
      },
      { opsPerCall: 1_000 },
    ),
    unit: "deltas",
    baseline: "JSON.stringify(row) x2",
  });
  rows.push({
    name: "JSON.stringify(row) x2",
    opsPerSec: await measure(
      () => {
        for (let i = 0; i < 1_000; i++) {
          JSON.stringify(before);
          JSON.stringify(after);
        }
      },
      { opsPerCall: 1_000 },
    ),
    unit: "row pairs",
  });
  const input = {
    clientId: "client-a",
    hlc: ctx.hlc,
    table: "todos",
    rowId: "t1",
    columns: [
      { column: "done", value: true },
      { column: "note", value: after.note },
    ],
  };
  rows.push({
    name: "deltaId (SHA-256 of stable JSON)",
    opsPerSec: await measure(
      () => {
        for (let i = 0; i < 1_000; i++) deltaId(input);
      },
      { opsPerCall: 1_000 },
    ),
    unit: "ids",
    baseline: "JSON.stringify(delta)",
  });
  rows.push({
    name: "JSON.stringify(delta)",
    opsPerSec: await measure(
      () => {
        for (let i = 0; i < 1_000; i++) JSON.stringify({ ...input, hlc: input.hlc.toString() });
      },
      { opsPerCall: 1_000 },
    ),
    unit: "deltas",
  });
  return rows;
}

interface Update {
  readonly client: number;
  readonly row: number;
  readonly column: number;
  readonly value: ColumnValue;
}

function workload(): Update[] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed;
  };
  return Array.from({ length: UPDATES }, (_, i) => ({
    client: i % CLIENTS.length,
    row: next() % ROWS,
    column: next() % COLUMNS.length,
    value: next() % 2 === 0 ? `v${i}` : i,
  }));
}

async function merge(): Promise<BenchRow[]> {
  log(`building ${UPDATES} updates over ${ROWS} rows from ${CLIENTS.length} clients`);
  const updates = workload();
  const base = 1_700_000_000_000;
  const deltas: RowDelta[] = updates.map((u, i) => ({
    op: "UPDATE",
    table: "todos",
    rowId: `r${u.row}`,
    clientId: CLIENTS[u.client] ?? "",
    hlc: unwrapOrThrow(encodeHLC(base + Math.floor(i / 16), i % 16)),
    columns: [{ column: COLUMNS[u.column] ?? "title", value: u.value }],
    deltaId: `d${i}`,
  }));
  const lakesync = () => {
    const replica = new Map<string, RowState>();
    for (const d of deltas)
      replica.set(d.rowId, applyToRowState(replica.get(d.rowId) ?? EMPTY_ROW_STATE, d));
    let live = 0;
    for (const state of replica.values()) if (materialiseRow(state)) live++;
    return live;
  };

  log("preparing Yjs documents");
  const ydocs = CLIENTS.map(() => new Y.Doc());
  for (const [c, doc] of ydocs.entries()) {
    doc.transact(() => {
      for (const u of updates)
        if (u.client === c) doc.getMap(`r${u.row}`).set(COLUMNS[u.column] ?? "title", u.value);
    });
  }
  const yUpdates = ydocs.map((d) => Y.encodeStateAsUpdate(d));
  const yjs = () => {
    const doc = new Y.Doc();
    for (const u of yUpdates) Y.applyUpdate(doc, u);
    return doc.share.size;
  };

  log("preparing Automerge documents");
  type Table = Record<string, Record<string, ColumnValue>>;
  const amChanges = CLIENTS.map((_, c) => {
    let doc = Automerge.init<Table>({ actor: `0${c}`.repeat(16) });
    const mine = updates.slice(0, AUTOMERGE_UPDATES).filter((u) => u.client === c);
    for (let i = 0; i < mine.length; i += 10_000) {
      doc = Automerge.change(doc, (d) => {
        for (const u of mine.slice(i, i + 10_000)) {
          const key = `r${u.row}`;
          d[key] ??= {};
          const row = d[key];
          if (row) row[COLUMNS[u.column] ?? "title"] = u.value;
        }
      });
    }
    return Automerge.getAllChanges(doc);
  });
  const automerge = () => {
    const [doc] = Automerge.applyChanges(Automerge.init<Table>(), amChanges.flat());
    return Object.keys(doc).length;
  };

  const opts = { opsPerCall: UPDATES, minMs: 0, warmup: 0 };
  const label = `${UPDATES / 1e6}M column updates, ${ROWS / 1e3}k rows, 3 clients`;
  log("measuring LakeSync");
  const ls = await measure(lakesync, opts);
  log("measuring Yjs");
  const y = await measure(yjs, opts);
  log("measuring Automerge");
  const am = await measure(automerge, { ...opts, opsPerCall: AUTOMERGE_UPDATES });
  return [
    {
      name: `LWW merge, LakeSync row states (${label})`,
      opsPerSec: ls,
      unit: "updates",
      baseline: "Yjs: apply 3 client updates to a fresh doc",
    },
    {
      name: "Yjs: apply 3 client updates to a fresh doc",
      opsPerSec: y,
      unit: "updates",
      note: `Y.Map per row; ${(yUpdates.reduce((n, u) => n + u.byteLength, 0) / UPDATES).toFixed(1)} B/update encoded`,
    },
    {
      name: "Automerge: apply every change to a fresh doc",
      opsPerSec: am,
      unit: "updates",
      note: `${AUTOMERGE_UPDATES / 1e3}k of the updates (1M exhausts its 4 GiB WASM memory); changes of 10k updates`,
    },
    {
      name: "LakeSync vs Automerge",
      opsPerSec: ls,
      unit: "updates",
      baseline: "Automerge: apply every change to a fresh doc",
    },
  ];
}

process.stdout.write(table("core: clocks, deltas and ids", await micro()));
process.stdout.write("\n");
process.stdout.write(table("core: column-level merge against Yjs and Automerge", await merge()));
