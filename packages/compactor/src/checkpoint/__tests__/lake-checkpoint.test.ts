import "@lakesync/parquet/node";
import type { LakeSyncLogEntry } from "@lakesync/catalogue";
import {
  delta,
  expectedStates,
  RowIndex,
  withHiddenValuesNulled,
} from "@lakesync/catalogue/testing";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  type RowDelta,
  type RowState,
  rowAllowed,
  type SyncRules,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { afterEach, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { watchLocation } from "../../__tests__/support/watched-location.js";
import { Compactor } from "../../compaction/compactor.js";
import { estimateDeltaBytes } from "../chunk-cutter.js";
import { lakeCheckpoint } from "../lake-checkpoint.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "owner", type: "string" },
    { name: "done", type: "boolean" },
  ],
};
const NOTES: TableSchema = { table: "notes", columns: [{ name: "body", type: "string" }] };
const schemas = new Map([
  ["todos", TODOS],
  ["notes", NOTES],
]);
const at = (wall: number, counter = 0) => (BigInt(wall) << 16n) | BigInt(counter);

let lake: TestLake;
afterEach(async () => {
  await lake?.close();
});

/**
 * What a replica holds after applying `deltas` (table/rowId → state), values hidden by a
 * tombstone nulled (the lake does not keep them; they only break ties between equal stamps).
 */
function replica(deltas: readonly RowDelta[]): Map<string, RowState> {
  const out = new Map<string, RowState>();
  for (const d of deltas) {
    const key = `${d.table}/${d.rowId}`;
    out.set(key, applyToRowState(out.get(key) ?? EMPTY_ROW_STATE, d));
  }
  return new Map([...out].map(([key, state]) => [key, withHiddenValuesNulled(state)]));
}

const deltasOf = (chunks: readonly CheckpointChunk[]) =>
  chunks.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));

/** The index's states of `tables` as `replica` keys them, hidden values nulled as the lake holds them. */
function indexStates(index: RowIndex, tables: readonly string[]): Map<string, RowState> {
  const out = new Map<string, RowState>();
  for (const table of tables)
    for (const [rowId, state] of expectedStates(index.states.get(table)))
      out.set(`${table}/${rowId}`, state);
  return out;
}

/** 30 todos by two owners and a few notes, edited, deleted and resurrected over four flushes. */
async function history(index: RowIndex, log: LakeSyncLogEntry[]) {
  const flush = async (table: string) => {
    const batch = index.take(table);
    if (batch) log.push(...batch.entries);
    await lake.flush(batch);
  };
  for (let i = 0; i < 30; i++)
    index.apply(
      delta("INSERT", "todos", `t${i}`, "phone", at(10, i), [
        { column: "title", value: `todo ${i}` },
        { column: "owner", value: i % 2 ? "alice" : "bob" },
        { column: "done", value: false },
      ]),
    );
  for (let i = 0; i < 4; i++)
    index.apply(
      delta("INSERT", "notes", `n${i}`, "phone", at(10, i), [
        { column: "body", value: `note ${i}` },
      ]),
    );
  await flush("todos");
  await flush("notes");
  for (let i = 0; i < 30; i += 4)
    index.apply(
      delta("UPDATE", "todos", `t${i}`, "laptop", at(20, i), [{ column: "done", value: true }]),
    );
  for (let i = 1; i < 30; i += 7)
    index.apply(delta("DELETE", "todos", `t${i}`, "laptop", at(30, i)));
  await flush("todos");
  index.apply(
    delta("UPDATE", "todos", "t1", "phone", at(40), [{ column: "title", value: "back" }]),
  );
  await flush("todos");
}

describe("lakeCheckpoint", () => {
  it("rebuilds every row's exact merge state from the compacted lake, tombstones included", async () => {
    lake = await openTestLake({ buckets: 4 });
    const index = new RowIndex("gw", schemas);
    const log: LakeSyncLogEntry[] = [];
    await history(index, log);
    unwrapOrThrow(await new Compactor(lake).compactNamespace(["lake"]));
    const checkpoint = unwrapOrThrow(
      await lakeCheckpoint({ ...lake, namespace: ["lake"], gatewayId: "gw" }),
    );
    expect(replica(deltasOf(checkpoint.chunks))).toEqual(indexStates(index, ["notes", "todos"]));
    // Deleted rows travel as tombstones (t1's too: it was deleted, then written again).
    expect(
      deltasOf(checkpoint.chunks)
        .filter((d) => d.op === "DELETE")
        .map((d) => d.rowId)
        .sort(),
    ).toEqual(["t1", "t15", "t22", "t29", "t8"].sort());
    const lastSeq = log[log.length - 1]?.seq;
    expect(checkpoint.tables.find((t) => t.table === "todos")?.flushedThrough).toBe(lastSeq);
    expect(checkpoint.servedFrom).toBe(
      checkpoint.tables.find((t) => t.table === "notes")?.flushedThrough,
    );
    checkpoint.chunks.forEach((chunk, i) => {
      expect(chunk.chunkIndex).toBe(i);
      expect(chunk.chunkCount).toBe(checkpoint.chunks.length);
      expect(chunk.snapshotHlc).toBe(checkpoint.servedFrom);
    });
  });

  it("cuts each table into chunks within the byte budget", async () => {
    lake = await openTestLake({ buckets: 4 });
    const index = new RowIndex("gw", schemas);
    await history(index, []);
    const checkpoint = unwrapOrThrow(
      await lakeCheckpoint({ ...lake, namespace: ["lake"], tables: ["todos"], chunkBytes: 1024 }),
    );
    expect(checkpoint.chunks.length).toBeGreaterThan(3);
    for (const chunk of checkpoint.chunks) {
      expect(chunk.table).toBe("todos");
      const deltas = deltasOf([chunk]);
      const bytes = deltas.reduce((n, d) => n + estimateDeltaBytes(d), 0);
      expect(bytes).toBeLessThanOrEqual(1024);
    }
    expect(replica(deltasOf(checkpoint.chunks))).toEqual(indexStates(index, ["todos"]));
  });

  it("joins a bucket too large for the budget in slices, reading files in parts, with the same result", async () => {
    lake = await openTestLake({ buckets: 1 });
    const index = new RowIndex("gw", schemas);
    let seed = 7;
    const noise = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed.toString(36).padStart(7, "0");
    };
    // Six flushes of 1000 rows: each flush file is one row group small enough for the budget.
    for (let i = 0; i < 6000; i++) {
      index.apply(
        delta("INSERT", "todos", `t${i}`, "phone", at(10, i), [
          { column: "title", value: `${noise()}${noise()}${noise()}${noise()}${noise()}` },
          { column: "owner", value: i % 2 ? "alice" : "bob" },
        ]),
      );
      if (i % 1000 === 999) await lake.flush(index.take("todos"));
    }
    for (let i = 0; i < 6000; i += 5)
      index.apply(delta("DELETE", "todos", `t${i}`, "laptop", at(20, i)));
    await lake.flush(index.take("todos"));
    // Compacted in the tight budget: one file of several row groups, each small enough to read.
    const compacted = unwrapOrThrow(
      await new Compactor({ ...lake, memoryBudgetBytes: 4 << 20 }).compactNamespace(["lake"]),
    );
    expect(compacted.tables.flatMap((t) => [...t.main.skipped, ...t.state.skipped])).toEqual([]);
    const watched = watchLocation(lake.location);
    const { location } = watched;
    const whole = { ...lake, location, namespace: ["lake"], tables: ["todos"] };
    const roomy = unwrapOrThrow(await lakeCheckpoint(whole));
    const roomyReads = watched.reads;
    watched.reads = 0;
    // 4 MiB of budget leaves 1 MiB for a bucket's values: this bucket needs several slices.
    const tight = unwrapOrThrow(await lakeCheckpoint({ ...whole, memoryBudgetBytes: 4 << 20 }));
    expect(watched.reads).toBeGreaterThan(roomyReads);
    expect(replica(deltasOf(tight.chunks))).toEqual(replica(deltasOf(roomy.chunks)));
    expect(replica(deltasOf(tight.chunks))).toEqual(indexStates(index, ["todos"]));
  });

  it("sends only the rows the caller's sync rules grant, judged at serve time", async () => {
    lake = await openTestLake({ buckets: 4 });
    const index = new RowIndex("gw", schemas);
    await history(index, []);
    const rules: SyncRules = {
      version: 1,
      buckets: [
        {
          name: "own",
          tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
        },
      ],
    };
    const checkpoint = unwrapOrThrow(
      await lakeCheckpoint({
        ...lake,
        namespace: ["lake"],
        allowed: (table, row) => rowAllowed(table, row, rules, { sub: "alice" }),
      }),
    );
    const rows = replica(deltasOf(checkpoint.chunks));
    const expected = new Map(
      [...indexStates(index, ["todos"])].filter(
        ([key]) => Number(key.slice("todos/t".length)) % 2 === 1,
      ),
    );
    // Alice's live todos; her deleted ones only when the lake still knows they were hers.
    for (const [key, state] of rows) expect(expected.get(key)).toEqual(state);
    expect([...rows.keys()].every((k) => k.startsWith("todos/"))).toBe(true);
    expect(checkpoint.tables.find((t) => t.table === "todos")?.refused).toBeGreaterThan(0);
  });

  it("with the gateway's log after servedFrom, a new client reaches the gateway's state even when the flushed log was trimmed", async () => {
    lake = await openTestLake({ buckets: 4 });
    const index = new RowIndex("gw", schemas);
    const log: LakeSyncLogEntry[] = [];
    await history(index, log);
    unwrapOrThrow(await new Compactor(lake).compactNamespace(["lake"]));
    // Accepted after the last flush: still only in the gateway's log.
    const tail: LakeSyncLogEntry[] = [];
    const accept = (d: RowDelta) => {
      if (index.apply(d)) tail.push(...(index.buffered.get(d.table) ?? []).slice(-1));
    };
    accept(delta("UPDATE", "todos", "t2", "tablet", at(50), [{ column: "title", value: "later" }]));
    accept(delta("DELETE", "todos", "t3", "tablet", at(50)));
    accept(delta("INSERT", "notes", "n9", "tablet", at(50), [{ column: "body", value: "new" }]));
    const checkpoint = unwrapOrThrow(
      await lakeCheckpoint({ ...lake, namespace: ["lake"], gatewayId: "gw" }),
    );
    // Every flushed entry was flushed at or below its table's flushedThrough.
    for (const e of log)
      expect(
        e.seq <= (checkpoint.tables.find((t) => t.table === e.delta.table)?.flushedThrough ?? 0n),
      ).toBe(true);
    const expected = indexStates(index, ["notes", "todos"]);
    // A gateway that trimmed every flushed entry serves what it still holds after servedFrom.
    const trimmed = tail.filter((e) => e.seq > checkpoint.servedFrom).map((e) => e.delta);
    expect(trimmed).toHaveLength(3);
    expect(replica([...deltasOf(checkpoint.chunks), ...trimmed])).toEqual(expected);
    // One that trimmed nothing sends some flushed deltas again: the merge makes that harmless.
    const untrimmed = [...log, ...tail]
      .filter((e) => e.seq > checkpoint.servedFrom)
      .map((e) => e.delta);
    expect(untrimmed.length).toBeGreaterThan(3);
    expect(replica([...deltasOf(checkpoint.chunks), ...untrimmed])).toEqual(expected);
  });

  it("is empty for a namespace the lake does not hold", async () => {
    lake = await openTestLake();
    const checkpoint = unwrapOrThrow(await lakeCheckpoint({ ...lake, namespace: ["nothing"] }));
    expect(checkpoint).toEqual({ chunks: [], tables: [], servedFrom: 0n });
  });
});
