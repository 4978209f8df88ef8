import { describe, expect, it } from "vitest";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  latestHLC,
  materialiseRow,
  mergeRowStates,
  type RowDelta,
} from "../../index.js";
import { delta } from "./fixtures.js";

const fold = (deltas: RowDelta[]) => deltas.reduce(applyToRowState, EMPTY_ROW_STATE);

describe("row state", () => {
  it("materialises the newest value of every column", () => {
    const state = fold([
      delta("INSERT", "a", 10, { title: "x", done: false }),
      delta("UPDATE", "b", 30, { done: true }),
      delta("UPDATE", "a", 20, { done: false, title: "y" }),
    ]);
    expect(materialiseRow(state)).toEqual({ title: "y", done: true });
  });

  it("a DELETE newer than every write hides the row, a later write brings back only its columns", () => {
    const deleted = fold([
      delta("INSERT", "a", 10, { title: "x", done: false }),
      delta("DELETE", "b", 20),
    ]);
    expect(materialiseRow(deleted)).toBeNull();
    const resurrected = applyToRowState(deleted, delta("UPDATE", "c", 30, { title: "again" }));
    expect(materialiseRow(resurrected)).toEqual({ title: "again" });
  });

  it("a late-arriving old write does not undo a delete", () => {
    const state = fold([delta("DELETE", "b", 20), delta("UPDATE", "a", 10, { title: "stale" })]);
    expect(materialiseRow(state)).toBeNull();
  });

  it("a row never written materialises as null", () => {
    expect(materialiseRow(EMPTY_ROW_STATE)).toBeNull();
    expect(latestHLC(EMPTY_ROW_STATE)).toBeUndefined();
  });

  it("merging states equals folding all their deltas", () => {
    const x = [delta("INSERT", "a", 10, { title: "x" }), delta("UPDATE", "a", 40, { done: true })];
    const y = [delta("UPDATE", "b", 20, { title: "y" }), delta("DELETE", "b", 30)];
    expect(materialiseRow(mergeRowStates(fold(x), fold(y)))).toEqual(
      materialiseRow(fold([...x, ...y])),
    );
    expect(materialiseRow(mergeRowStates(fold(x), fold(y)))).toEqual({ done: true });
  });

  it("latestHLC reports the newest contributing stamp, deletes included", () => {
    const d = delta("DELETE", "b", 50);
    expect(latestHLC(fold([delta("INSERT", "a", 10, { t: 1 }), d]))).toBe(d.hlc);
  });
});
