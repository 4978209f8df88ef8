import {
  applyToRowState,
  EMPTY_ROW_STATE,
  HLC_ZERO,
  materialiseRow,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rowStateToDeltas } from "../checkpoint/row-state-deltas.js";
import { SyncGateway } from "../gateway/sync-gateway.js";
import { delta, hlcAt, ManualClock, OWNER_RULES, TODOS } from "./fixtures.js";

describe("checkpoints", () => {
  it("rebuilds any row state exactly from its deltas, in any order", () => {
    const write = fc.record({
      op: fc.constantFrom("UPDATE" as const, "DELETE" as const),
      clientId: fc.constantFrom("a", "b"),
      counter: fc.integer({ min: 0, max: 20 }),
      title: fc.string(),
      done: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
        const clock = new ManualClock();
        let state: RowState = EMPTY_ROW_STATE;
        for (const w of writes) {
          const columns =
            w.op === "DELETE"
              ? {}
              : { title: w.title, ...(w.done === undefined ? {} : { done: w.done }) };
          state = applyToRowState(
            state,
            delta({
              op: w.op,
              rowId: "r",
              clientId: w.clientId,
              hlc: hlcAt(clock, 0, w.counter),
              columns,
            }),
          );
        }
        const rebuilt = rowStateToDeltas("todos", "r", state)
          .reverse()
          .reduce(applyToRowState, EMPTY_ROW_STATE);
        expect(materialiseRow(rebuilt)).toEqual(materialiseRow(state));
        expect(rebuilt.deleted).toEqual(state.deleted);
      }),
    );
  });

  it("cuts chunks by byte budget, numbers them across tables, and filters by sync rules", async () => {
    const clock = new ManualClock();
    const gateway = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: "g",
        now: clock.now,
        autoFlush: false,
        syncRules: OWNER_RULES,
      }),
    );
    unwrapOrThrow(await gateway.setSchema(TODOS));
    const deltas = Array.from({ length: 200 }, (_, i) =>
      delta({
        rowId: `t${i}`,
        hlc: hlcAt(clock, 0, i),
        columns: { title: "x".repeat(100), owner: i % 2 ? "bob" : "alice" },
      }),
    );
    await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO });
    const chunks = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }, { budgetBytes: 4096 }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.chunkIndex)).toEqual(chunks.map((_, i) => i));
    expect(
      chunks.every((c) => c.chunkCount === chunks.length && c.snapshotHlc === gateway.head),
    ).toBe(true);
    const rows = chunks.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    expect(rows).toHaveLength(100);
    expect(
      rows.every((d) => d.columns.some((c) => c.column === "owner" && c.value === "alice")),
    ).toBe(true);
    const tooSmall = await gateway.checkpoint({}, { budgetBytes: 10 });
    expect(tooSmall.ok).toBe(false);
  });
});
