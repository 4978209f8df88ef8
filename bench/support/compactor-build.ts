/**
 * @module bench/support/compactor-build
 * The compactor benchmark's table: inserts in large flushes, then flushes of random updates and
 * deletes (a tenth of them deletes), each flush through the Iceberg flush target, as a gateway
 * would write them.
 */
import type { LakeSyncBatch, LakeSyncLogEntry } from "@lakesync/catalogue/node";
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

/** The shape of the table built. */
export interface BuildOptions {
  readonly rows: number;
  readonly insertBatch: number;
  readonly updateFlushes: number;
  readonly updateBatch: number;
  readonly log: (message: string) => void;
}

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

function batchOf(
  schema: TableSchema,
  entries: LakeSyncLogEntry[],
  states: Map<string, RowState>,
): LakeSyncBatch {
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

/** Builds the table with `flush`; returns how many rows were deleted. */
export async function buildTable(
  flush: (batch: LakeSyncBatch) => Promise<unknown>,
  schema: TableSchema,
  o: BuildOptions,
): Promise<{ deleted: number }> {
  o.log(
    `building ${o.rows} rows: ${Math.ceil(o.rows / o.insertBatch)} insert flushes of ${o.insertBatch}`,
  );
  for (let from = 0; from < o.rows; from += o.insertBatch) {
    const entries: LakeSyncLogEntry[] = [];
    const states = new Map<string, RowState>();
    for (let i = from; i < Math.min(o.rows, from + o.insertBatch); i++) {
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
    await flush(batchOf(schema, entries, states));
  }
  o.log(`${o.updateFlushes} flushes of ${o.updateBatch} updates and deletes`);
  let deleted = 0;
  const gone = new Set<number>();
  for (let f = 0; f < o.updateFlushes; f++) {
    const entries: LakeSyncLogEntry[] = [];
    const states = new Map<string, RowState>();
    for (let k = 0; k < o.updateBatch; k++) {
      const i = Number.parseInt(hex32(), 16) % o.rows;
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
    await flush(batchOf(schema, entries, states));
  }
  return { deleted };
}
