import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  materialiseRow,
  type RowState,
  rowStateToDeltas,
} from "../../index.js";
import { delta } from "./fixtures.js";

describe("rowStateToDeltas", () => {
  it("rebuilds any row state exactly, per-column stamps and tombstone included, in any order", () => {
    const write = fc.record({
      op: fc.constantFrom("UPDATE" as const, "DELETE" as const),
      clientId: fc.constantFrom("a", "b"),
      ms: fc.integer({ min: 0, max: 20 }),
      title: fc.string(),
      done: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), fc.boolean(), (writes, reversed) => {
        let state: RowState = EMPTY_ROW_STATE;
        for (const w of writes) {
          const columns =
            w.op === "DELETE"
              ? {}
              : { title: w.title, ...(w.done === undefined ? {} : { done: w.done }) };
          state = applyToRowState(state, delta(w.op, w.clientId, w.ms, columns));
        }
        const deltas = rowStateToDeltas("todos", "r1", state);
        if (reversed) deltas.reverse();
        const rebuilt = deltas.reduce(applyToRowState, EMPTY_ROW_STATE);
        expect(rebuilt).toEqual(state);
        expect(materialiseRow(rebuilt)).toEqual(materialiseRow(state));
      }),
    );
  });

  it("gives deltas real ids unless told not to", () => {
    const state = applyToRowState(EMPTY_ROW_STATE, delta("UPDATE", "a", 1, { title: "x" }));
    expect(rowStateToDeltas("todos", "r1", state)[0]?.deltaId).toMatch(/^[0-9a-f]{64}$/);
    expect(rowStateToDeltas("todos", "r1", state, { ids: false })[0]?.deltaId).toBe("0".repeat(64));
  });
});
