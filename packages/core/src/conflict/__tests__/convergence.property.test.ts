import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyToRowState,
  type ColumnValue,
  EMPTY_ROW_STATE,
  materialiseRow,
  mergeRowStates,
  type RowDelta,
  type RowState,
  resolveLWW,
  unwrapOrThrow,
} from "../../index.js";
import { delta } from "./fixtures.js";

const value: fc.Arbitrary<ColumnValue> = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.constantFrom("x", "y"), fc.integer({ min: 0, max: 2 }), { maxKeys: 2 }),
);
const deltaOn = (rows: readonly string[]): fc.Arbitrary<RowDelta> =>
  fc
    .record({
      op: fc.constantFrom("INSERT", "UPDATE", "UPDATE", "DELETE"),
      client: fc.constantFrom("a", "b", "c"),
      wall: fc.integer({ min: 0, max: 6 }),
      counter: fc.integer({ min: 0, max: 2 }),
      row: fc.constantFrom(...rows),
      columns: fc.dictionary(fc.constantFrom("title", "done", "meta"), value, {
        minKeys: 1,
        maxKeys: 3,
      }),
    })
    .map((d) =>
      delta(d.op, d.client, d.wall, d.op === "DELETE" ? {} : d.columns, d.row, "todos", d.counter),
    );
/** Deltas over two rows, for whole-replica tests. */
const arbDelta = deltaOn(["r1", "r2"]);
/** Deltas to one row, for row-state laws. */
const oneRow = deltaOn(["r1"]);

/** Replica state: one RowState per row id. */
type Replica = Map<string, RowState>;
const applyAll = (deltas: readonly RowDelta[]): Replica => {
  const replica: Replica = new Map();
  for (const d of deltas)
    replica.set(d.rowId, applyToRowState(replica.get(d.rowId) ?? EMPTY_ROW_STATE, d));
  return replica;
};
const view = (replica: Replica) =>
  Object.fromEntries(
    [...replica.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, s]) => [id, materialiseRow(s)]),
  );
const stateOf = (deltas: readonly RowDelta[]) => deltas.reduce(applyToRowState, EMPTY_ROW_STATE);

describe("convergence", () => {
  it("replicas that apply the same deltas in any order, with duplicates, hold the same rows", () => {
    fc.assert(
      fc.property(
        fc
          .array(arbDelta, { minLength: 1, maxLength: 25 })
          .chain((deltas) =>
            fc.tuple(
              fc.constant(deltas),
              fc.shuffledSubarray([...deltas, ...deltas], { minLength: deltas.length * 2 }),
              fc.array(fc.constantFrom(...deltas), { maxLength: 10 }),
            ),
          ),
        ([deltas, shuffled, extra]) => {
          expect(view(applyAll([...shuffled, ...extra]))).toEqual(view(applyAll(deltas)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("merging row states is commutative", () => {
    fc.assert(
      fc.property(
        fc.array(oneRow, { maxLength: 8 }),
        fc.array(oneRow, { maxLength: 8 }),
        (x, y) => {
          const a = stateOf(x);
          const b = stateOf(y);
          expect(materialiseRow(mergeRowStates(a, b))).toEqual(
            materialiseRow(mergeRowStates(b, a)),
          );
          expect(mergeRowStates(a, b)).toEqual(mergeRowStates(b, a));
        },
      ),
    );
  });

  it("merging row states is associative", () => {
    fc.assert(
      fc.property(
        fc.array(oneRow, { maxLength: 6 }),
        fc.array(oneRow, { maxLength: 6 }),
        fc.array(oneRow, { maxLength: 6 }),
        (x, y, z) => {
          const [a, b, c] = [stateOf(x), stateOf(y), stateOf(z)];
          expect(mergeRowStates(mergeRowStates(a, b), c)).toEqual(
            mergeRowStates(a, mergeRowStates(b, c)),
          );
        },
      ),
    );
  });

  it("merging row states is idempotent", () => {
    fc.assert(
      fc.property(fc.array(oneRow, { maxLength: 10 }), (x) => {
        const a = stateOf(x);
        expect(mergeRowStates(a, a)).toEqual(a);
        expect(x.reduce(applyToRowState, a)).toEqual(a);
      }),
    );
  });

  it("merging states equals applying all of their deltas", () => {
    fc.assert(
      fc.property(
        fc.array(oneRow, { maxLength: 8 }),
        fc.array(oneRow, { maxLength: 8 }),
        (x, y) => {
          const [sx, sy] = [x, y];
          expect(materialiseRow(mergeRowStates(stateOf(sx), stateOf(sy)))).toEqual(
            materialiseRow(stateOf([...sx, ...sy])),
          );
        },
      ),
    );
  });

  it("resolveLWW of two deltas is commutative and idempotent", () => {
    fc.assert(
      fc.property(oneRow, oneRow, (x, y) => {
        const [a, b] = [x, y];
        expect(unwrapOrThrow(resolveLWW(a, b))).toEqual(unwrapOrThrow(resolveLWW(b, a)));
        expect(unwrapOrThrow(resolveLWW(a, a))).toEqual(a);
      }),
    );
  });
});
