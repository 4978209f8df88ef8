import { readLakeTable } from "@lakesync/catalogue";
import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCHEMA, schemas, step, toDelta } from "../../__tests__/support/histories.js";
import { openTestLake } from "../../__tests__/support/lake.js";
import { MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { DuckDBClient } from "../../node.js";

let compared = 0;

describe("DuckDBClient views", () => {
  it("hold exactly the live rows of every snapshot, after any history of flushes (equality deletes by sequence number, per bucket)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const lake = await openTestLake();
        try {
          const gw = new MiniGateway("gw", lake, schemas);
          for (const s of steps) {
            if (s.kind === "flush") await gw.flush(s.table, s.count);
            else gw.apply(toDelta(s));
          }
          await gw.flushAll();
          const loaded = await lake.catalogue.loadTable({ namespace: ["gw"], name: "todos" });
          if (!loaded.ok) return;
          for (const snapshot of loaded.value.metadata.snapshots ?? []) {
            const id = snapshot["snapshot-id"];
            const client = unwrapOrThrow(
              await DuckDBClient.open({
                catalogue: lake.catalogue,
                location: lake.location,
                namespace: ["gw"],
                at: { snapshotId: id },
              }),
            );
            const rows = unwrapOrThrow(
              await client.query("SELECT * FROM todos ORDER BY row_id"),
            ).rows;
            await client.close();
            const expected = unwrapOrThrow(
              await readLakeTable({ ...lake, namespace: ["gw"], table: "todos", snapshotId: id }),
            );
            compared++;
            expect(rows).toEqual(
              [...expected.rows]
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([rowId, row]) => ({
                  row_id: rowId,
                  ...Object.fromEntries(SCHEMA.columns.map((c) => [c.name, row[c.name] ?? null])),
                })),
            );
          }
        } finally {
          await lake.close();
        }
      }),
      {
        numRuns: Number(process.env.FC_RUNS ?? 20),
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
    expect(compared).toBeGreaterThan(0);
  });
});
