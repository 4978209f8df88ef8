import {
  applyToRowState,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  materialiseRow,
  type Row,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCHEMA, schemas, step, toDelta } from "../../__tests__/support/histories.js";
import { openTestLake } from "../../__tests__/support/lake.js";
import { MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { TimeTraveller } from "../../index.js";

describe("TimeTraveller.asOfHlc", () => {
  it("equals a replica fed exactly the history's deltas at or before the HLC", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 4 }),
        async (steps, walls) => {
          const lake = await openTestLake();
          try {
            const gw = new MiniGateway("gw", lake, schemas);
            for (const s of steps) {
              if (s.kind === "flush") await gw.flush(s.table, s.count);
              else gw.apply(toDelta(s));
            }
            await gw.flushAll();
            const traveller = new TimeTraveller({
              catalogue: lake.catalogue,
              location: lake.location,
              namespace: ["gw"],
            });
            for (const table of ["todos", "notes"]) {
              if (!gw.log.some((e) => e.delta.table === table)) continue;
              const history = unwrapOrThrow(await traveller.history(table));
              for (const wall of walls) {
                const bound = ((BigInt(wall) << 16n) + 7n) as HLCTimestamp;
                const states = new Map<string, RowState>();
                for (const { delta } of gw.log)
                  if (delta.table === table && delta.hlc <= bound)
                    states.set(
                      delta.rowId,
                      applyToRowState(states.get(delta.rowId) ?? EMPTY_ROW_STATE, delta),
                    );
                const expected: Record<string, Row> = {};
                for (const [rowId, state] of states) {
                  const row = materialiseRow(state);
                  if (row)
                    expected[rowId] = Object.fromEntries(
                      SCHEMA.columns.map((c) => [c.name, row[c.name] ?? null]),
                    );
                }
                const asOf = unwrapOrThrow(history.asOf(bound));
                const got = Object.fromEntries(
                  [...asOf.rows].map(([id, row]) => [
                    id,
                    Object.fromEntries(SCHEMA.columns.map((c) => [c.name, row[c.name] ?? null])),
                  ]),
                );
                expect(got).toEqual(expected);
                expect(asOf.states).toEqual(states);
              }
            }
          } finally {
            await lake.close();
          }
        },
      ),
      {
        numRuns: Number(process.env.FC_RUNS ?? 20),
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
  });
});
