import type { RowDelta } from "@lakesync/core";
import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replicaRows, SCHEMA, schemas, step, toDelta } from "../../__tests__/support/histories.js";
import { openTestLake } from "../../__tests__/support/lake.js";
import { MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { inProcessSource, UnionReader } from "../../index.js";

describe("UnionReader", () => {
  it("the lake plus the unflushed deltas equals a fully synced replica, after any history and flushes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const lake = await openTestLake();
        try {
          const gw = new MiniGateway("gw", lake, schemas);
          const sent: RowDelta[] = [];
          for (const s of steps) {
            if (s.kind === "flush") await gw.flush(s.table, s.count);
            else {
              const d = toDelta(s);
              sent.push(d);
              gw.apply(d);
            }
          }
          const reader = new UnionReader({
            catalogue: lake.catalogue,
            location: lake.location,
            namespace: ["gw"],
            source: inProcessSource(gw),
            pageSize: 3,
          });
          for (const table of ["todos", "notes"]) {
            const union = unwrapOrThrow(await reader.read(table));
            const rows = Object.fromEntries(
              [...union.rows]
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([id, row]) => [
                  id,
                  Object.fromEntries(SCHEMA.columns.map((c) => [c.name, row[c.name] ?? null])),
                ]),
            );
            expect(rows).toEqual(replicaRows(sent, table));
            expect(union.pendingDeltas).toBe((gw.buffered.get(table) ?? []).length);
          }
        } finally {
          await lake.close();
        }
      }),
      {
        numRuns: Number(process.env.FC_RUNS ?? 25),
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
  });
});
