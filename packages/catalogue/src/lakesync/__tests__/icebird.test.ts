import "@lakesync/parquet/node";
import { type RowState, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { icebergRead } from "icebird";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delta, expectedRow, RowIndex } from "../../testing.js";
import { icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncBatch } from "../lake-batch.js";
import { openTestLake, type TestLake } from "./support/lake.js";

/** What icebird returns for a row of `ns.T`: JSON columns as their text, absent values null. */
function asStored(rowId: string, state: RowState, schema: TableSchema) {
  const row = expectedRow(state, schema);
  if (!row) return undefined;
  const out: Record<string, unknown> = { row_id: rowId };
  for (const c of schema.columns) {
    const value = row[c.name] ?? null;
    out[c.name] = c.type === "json" && value !== null ? JSON.stringify(value) : value;
  }
  return out;
}

const byRowId = (rows: Record<string, unknown>[]) =>
  Object.fromEntries(
    rows.map((r) => [
      String(r.row_id),
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === undefined ? null : v])),
    ]),
  );

let lake: TestLake;
beforeAll(async () => {
  lake = await openTestLake({ http: true });
});
afterAll(() => lake.close());

/** Flushes a scripted history of `table`, recording after each flush the metadata file and the rows. */
async function history(
  table: string,
  schemas: Map<string, TableSchema>,
  steps: ((index: RowIndex) => void)[],
) {
  const index = new RowIndex("gw", schemas);
  const target = icebergFlushTarget({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: ["lake"],
    buckets: 4,
    retry: { backoffMs: () => 0 },
  });
  const points: { metadata: string; tableUrl: string; expected: Record<string, unknown> }[] = [];
  const flushed = new Map<string, RowState>();
  for (const step of steps) {
    step(index);
    const batch = index.take(table) as LakeSyncBatch;
    unwrapOrThrow(await unwrapOrThrow(await target.write(batch)).commit());
    for (const { delta: d } of batch.entries)
      flushed.set(d.rowId, index.state(table, d.rowId) as RowState);
    const loaded = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["lake"], name: table }),
    );
    const schema = schemas.get(table) as TableSchema;
    const expected: Record<string, unknown> = {};
    for (const [rowId, state] of flushed) {
      const row = asStored(rowId, state, schema);
      if (row) expected[rowId] = row;
    }
    points.push({
      metadata: loaded.metadataLocation.slice(loaded.metadataLocation.lastIndexOf("/") + 1),
      tableUrl: loaded.metadata.location,
      expected,
    });
  }
  return points;
}

describe("icebird 0.3.1 reads ns.T at every snapshot", () => {
  it("inserts, updates, deletes, resurrections and a grown schema: exactly the live rows each time", async () => {
    const v1: TableSchema = {
      table: "todos",
      columns: [
        { name: "title", type: "string" },
        { name: "done", type: "boolean" },
        { name: "score", type: "number" },
        { name: "meta", type: "json" },
      ],
    };
    const v2: TableSchema = {
      ...v1,
      columns: [...v1.columns, { name: "priority", type: "number" }],
    };
    const schemas = new Map([["todos", v1]]);
    const insert = (index: RowIndex, rowId: string, hlc: bigint, clientId = "phone") =>
      index.apply(
        delta("INSERT", "todos", rowId, clientId, hlc, [
          { column: "title", value: `${rowId} by ${clientId}` },
          { column: "done", value: false },
          { column: "score", value: 1.5 },
          { column: "meta", value: { by: clientId, n: [1, 2] } },
        ]),
      );
    const points = await history("todos", schemas, [
      (index) => {
        for (let i = 0; i < 8; i++) insert(index, `t${i}`, (10n << 16n) + BigInt(i));
      },
      (index) => {
        index.apply(
          delta("UPDATE", "todos", "t1", "tablet", 20n << 16n, [
            { column: "title", value: "edited" },
          ]),
        );
        index.apply(delta("DELETE", "todos", "t2", "tablet", 20n << 16n));
        index.apply(delta("DELETE", "todos", "t3", "tablet", 20n << 16n));
        insert(index, "t8", 20n << 16n, "tablet");
      },
      (index) => {
        // A resurrection: only the columns written after the delete come back.
        index.apply(
          delta("UPDATE", "todos", "t2", "phone", 30n << 16n, [{ column: "done", value: true }]),
        );
        // Equal HLCs from two clients: the higher client id wins.
        index.apply(
          delta("UPDATE", "todos", "t4", "a", 30n << 16n, [{ column: "title", value: "a" }]),
        );
        index.apply(
          delta("UPDATE", "todos", "t4", "b", 30n << 16n, [{ column: "title", value: "b" }]),
        );
      },
      (index) => {
        schemas.set("todos", v2);
        index.apply(
          delta("UPDATE", "todos", "t5", "phone", 40n << 16n, [{ column: "priority", value: 3 }]),
        );
      },
    ]);
    // Each point is read through its own metadata file, with the schema of its time; at the last
    // one the schema has grown, and rows in files written before read with null in `priority`.
    for (const point of points) {
      const rows = await icebergRead({
        tableUrl: point.tableUrl,
        metadataFileName: point.metadata,
      });
      expect(byRowId(rows)).toEqual(point.expected);
    }
    const last = points[points.length - 1];
    expect(last?.expected.t0).toMatchObject({ priority: null });
    expect(Object.keys(last?.expected ?? {}).sort()).toEqual([
      "t0",
      "t1",
      "t2",
      "t4",
      "t5",
      "t6",
      "t7",
      "t8",
    ]);
  });

  it("a table with hostile names: icebird finds the columns by their Parquet spelling", async () => {
    const table = "to\"do 'list' ü";
    const schema: TableSchema = {
      table,
      columns: [
        { name: "first name", type: "string" },
        { name: 'ünï"cödé', type: "json" },
        { name: "1st", type: "number" },
        { name: "emoji 😀", type: "boolean" },
      ],
    };
    const points = await history(table, new Map([[table, schema]]), [
      (index) => {
        for (const rowId of ["row 'one'", "row ✓"])
          index.apply(
            delta("INSERT", table, rowId, "c", 5n << 16n, [
              { column: "first name", value: rowId },
              { column: 'ünï"cödé', value: ["x"] },
              { column: "1st", value: 1 },
              { column: "emoji 😀", value: true },
            ]),
          );
      },
      (index) => index.apply(delta("DELETE", table, "row ✓", "c", 6n << 16n)),
    ]);
    for (const point of points) {
      const rows = await icebergRead({
        tableUrl: point.tableUrl,
        metadataFileName: point.metadata,
      });
      expect(byRowId(rows)).toEqual(point.expected);
    }
  });
});
