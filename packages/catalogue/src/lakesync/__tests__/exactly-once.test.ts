import "@lakesync/parquet/node";
import {
  Err,
  type LakeSyncError,
  type Result,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScriptedCatalogue } from "../../__tests__/support/scripted-catalogue.js";
import type { Catalogue, LoadedTable, TableIdentifier } from "../../catalogue/catalogue.js";
import type { TableRequirement, TableUpdate } from "../../catalogue/updates.js";
import { CatalogueError } from "../../errors.js";
import { delta, expectedRow, RowIndex } from "../../testing.js";
import { icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncBatch } from "../lake-batch.js";
import { readLakeRowStates, readLakeTable } from "../read-lake.js";
import { readLakeHistory } from "../read-lake-history.js";
import { openTestLake, type TestLake } from "./support/lake.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
  ],
};
const NOTES: TableSchema = { table: "notes", columns: [{ name: "body", type: "string" }] };
const SCHEMAS = new Map([
  ["todos", TODOS],
  ["notes", NOTES],
]);
const noWait = { backoffMs: () => 0 };

let lake: TestLake;
beforeEach(async () => {
  lake = await openTestLake();
});
afterEach(() => lake.close());

const target = (catalogue: Catalogue = lake.catalogue, attempts?: number) =>
  icebergFlushTarget({
    catalogue,
    location: lake.location,
    namespace: ["lake"],
    retry: attempts === undefined ? noWait : { ...noWait, attempts },
  });
const snapshotCount = async (name: string) =>
  (
    unwrapOrThrow(await lake.catalogue.loadTable({ namespace: ["lake"], name })).metadata
      .snapshots ?? []
  ).length;
const counts = async (table = "todos") => [
  await snapshotCount(`_lakesync_state_${table}`),
  await snapshotCount(table),
  await snapshotCount("_lakesync_history"),
];
const readOptions = (table = "todos") => ({
  catalogue: lake.catalogue,
  location: lake.location,
  namespace: ["lake"],
  table,
});

function write(index: RowIndex, rows: string[], hlc: bigint, clientId = "phone") {
  for (const [i, rowId] of rows.entries())
    index.apply(
      delta("UPDATE", "todos", rowId, clientId, hlc + BigInt(i), [
        { column: "title", value: `${rowId} at ${hlc}` },
        { column: "done", value: false },
      ]),
    );
}

/** Forwards to the lake's catalogue, but fails commits to `ns.todos` while `failing`. */
function failingMainCommits(
  lakeCatalogue: Catalogue,
  mode: "refused" | "lost",
): ScriptedCatalogue & { failing: boolean } {
  const scripted = new ScriptedCatalogue(lakeCatalogue, async () =>
    Err(new CatalogueError("INVALID_INPUT", "unused")),
  );
  const wrapper = Object.assign(scripted, { failing: true });
  wrapper.commitTable = async (
    table: TableIdentifier,
    requirements: readonly TableRequirement[],
    updates: readonly TableUpdate[],
  ): Promise<Result<LoadedTable, LakeSyncError>> => {
    const forward = () => lakeCatalogue.commitTable(table, requirements, updates);
    const isMain = table.name === "todos" && updates.some((u) => u.action === "add-snapshot");
    if (!wrapper.failing || !isMain) return forward();
    if (mode === "refused")
      return Err(new CatalogueError("CATALOGUE_UNAVAILABLE", "the catalogue went away"));
    await forward();
    return Err(new CatalogueError("COMMIT_STATE_UNKNOWN", "the answer was lost"));
  };
  return wrapper;
}

describe("exactly once", () => {
  it("the same batch flushed twice leaves one snapshot per table and writes no files the second time", async () => {
    const index = new RowIndex("gw", SCHEMAS);
    write(index, ["a", "b", "c"], 10n << 16n);
    const batch = index.take("todos") as LakeSyncBatch;
    const first = unwrapOrThrow(await target().write(batch));
    unwrapOrThrow(await first.commit());
    const second = unwrapOrThrow(await target().write(batch));
    unwrapOrThrow(await second.commit());
    expect(second.paths).toEqual([]);
    // A repeated commit step of the first write is a no-op too.
    unwrapOrThrow(await first.commit());
    expect(await counts()).toEqual([1, 1, 1]);
    expect(unwrapOrThrow(await readLakeHistory(readOptions()))).toHaveLength(3);
  });

  it("a commit that fails after the state table's commit is retried: the rest completes, nothing doubles", async () => {
    const index = new RowIndex("gw", SCHEMAS);
    write(index, ["a", "b"], 10n << 16n);
    unwrapOrThrow(
      await unwrapOrThrow(await target().write(index.take("todos") as LakeSyncBatch)).commit(),
    );
    write(index, ["a", "c"], 20n << 16n, "tablet");
    const batch = index.take("todos") as LakeSyncBatch;
    const flaky = failingMainCommits(lake.catalogue, "refused");
    const failed = await unwrapOrThrow(await target(flaky).write(batch)).commit();
    expect(failed.ok).toBe(false);
    expect(await counts()).toEqual([2, 1, 1]);
    // Meanwhile, readers pair the table with the state snapshot of its own last flush.
    const meanwhile = unwrapOrThrow(await readLakeRowStates(readOptions()));
    expect([...meanwhile.states.keys()].sort()).toEqual(["a", "b"]);
    expect(meanwhile.states.get("a")?.columns.title?.clientId).toBe("phone");
    flaky.failing = false;
    unwrapOrThrow(await unwrapOrThrow(await target(flaky).write(batch)).commit());
    expect(await counts()).toEqual([2, 2, 2]);
    const states = unwrapOrThrow(await readLakeRowStates(readOptions())).states;
    for (const rowId of ["a", "b", "c"])
      expect(states.get(rowId)).toEqual(index.state("todos", rowId));
    expect(unwrapOrThrow(await readLakeHistory(readOptions()))).toHaveLength(4);
  });

  it("a commit whose answer was lost is found by its key when retried, and not applied twice", async () => {
    const index = new RowIndex("gw", SCHEMAS);
    write(index, ["a", "b"], 10n << 16n);
    const batch = index.take("todos") as LakeSyncBatch;
    const lossy = failingMainCommits(lake.catalogue, "lost");
    const unknown = await unwrapOrThrow(await target(lossy, 1).write(batch)).commit();
    expect(unknown.ok || unknown.error.message).toMatch(/COMMIT_STATE_UNKNOWN/);
    lossy.failing = false;
    const retried = unwrapOrThrow(await target(lossy).write(batch));
    expect(retried.paths.some((p) => p.startsWith("lake/todos/"))).toBe(false);
    unwrapOrThrow(await retried.commit());
    expect(await counts()).toEqual([1, 1, 1]);
    expect(unwrapOrThrow(await readLakeTable(readOptions())).rows.size).toBe(2);
  });

  it("a retried batch that grew meanwhile appends only the new deltas to the history", async () => {
    const index = new RowIndex("gw", SCHEMAS);
    write(index, ["a", "b"], 10n << 16n);
    const first = index.take("todos") as LakeSyncBatch;
    const flaky = failingMainCommits(lake.catalogue, "refused");
    expect((await unwrapOrThrow(await target(flaky).write(first)).commit()).ok).toBe(false);
    flaky.failing = false;
    write(index, ["c"], 30n << 16n);
    const grown = index.batchOf("todos", [
      ...first.entries,
      ...(index.take("todos") as LakeSyncBatch).entries,
    ]);
    unwrapOrThrow(await unwrapOrThrow(await target(flaky).write(grown)).commit());
    const history = unwrapOrThrow(await readLakeHistory(readOptions()));
    expect(history.map((e) => e.delta.rowId)).toEqual(["a", "b", "c"]);
    const rows = unwrapOrThrow(await readLakeTable(readOptions())).rows;
    expect([...rows.keys()].sort()).toEqual(["a", "b", "c"]);
  });

  it("a gateway that re-flushes a committed batch grown by new deltas (a restart before its watermark was stored) appends only the new deltas", async () => {
    const index = new RowIndex("gw", SCHEMAS);
    write(index, ["a", "b"], 10n << 16n);
    const first = index.take("todos") as LakeSyncBatch;
    unwrapOrThrow(await unwrapOrThrow(await target().write(first)).commit());
    write(index, ["c"], 30n << 16n);
    const grown = index.batchOf("todos", [
      ...first.entries,
      ...(index.take("todos") as LakeSyncBatch).entries,
    ]);
    unwrapOrThrow(await unwrapOrThrow(await target().write(grown)).commit());
    const history = unwrapOrThrow(await readLakeHistory(readOptions()));
    expect(history.map((e) => e.delta.rowId)).toEqual(["a", "b", "c"]);
    const states = unwrapOrThrow(await readLakeRowStates(readOptions())).states;
    expect(states).toEqual(index.states.get("todos"));
  });
});

describe("two gateways flushing into one namespace at once", () => {
  it("lose nothing and double nothing: every row, every delta, one snapshot per flush", async () => {
    const gateways = ["gw-a", "gw-b"].map((id) => new RowIndex(id, SCHEMAS));
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      for (const [g, index] of gateways.entries()) {
        const hlc = (BigInt(round + 1) << 16n) * 10n;
        write(
          index,
          [0, 1, 2].map((i) => `${index.gatewayId}-${(i + round) % 4}`),
          hlc,
        );
        index.apply(
          delta("INSERT", "notes", `${index.gatewayId}-note-${round}`, `c${g}`, hlc, [
            { column: "body", value: `round ${round}` },
          ]),
        );
      }
      // Both gateways flush both tables at the same time; table creation races on round 0.
      await Promise.all(
        gateways.flatMap((index) =>
          ["todos", "notes"].map(async (table) => {
            const batch = index.take(table) as LakeSyncBatch;
            const written = unwrapOrThrow(await target().write(batch));
            unwrapOrThrow(await written.commit());
          }),
        ),
      );
    }
    for (const table of ["todos", "notes"]) {
      const expected = new Map(
        gateways.flatMap((index) =>
          [...(index.states.get(table) ?? [])].map(
            ([rowId, state]) =>
              [rowId, expectedRow(state, SCHEMAS.get(table) as TableSchema)] as const,
          ),
        ),
      );
      expect(unwrapOrThrow(await readLakeTable(readOptions(table))).rows).toEqual(expected);
      const states = unwrapOrThrow(await readLakeRowStates(readOptions(table))).states;
      expect(states).toEqual(
        new Map(gateways.flatMap((index) => [...(index.states.get(table) ?? [])])),
      );
      expect(await snapshotCount(table)).toBe(rounds * 2);
    }
    const { table: _, ...everyTable } = readOptions();
    const history = unwrapOrThrow(await readLakeHistory(everyTable));
    expect(history).toHaveLength(rounds * 2 * 4);
    expect(await snapshotCount("_lakesync_history")).toBe(rounds * 2 * 2);
  });
});
