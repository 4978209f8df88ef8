import { describe, expect, it } from "vitest";
import { lwwResolver, type RowDelta, resolveLWW, unwrapOrThrow } from "../../index.js";
import { delta } from "./fixtures.js";

const merge = (a: RowDelta, b: RowDelta) => unwrapOrThrow(resolveLWW(a, b));
const values = (d: RowDelta) => Object.fromEntries(d.columns.map((c) => [c.column, c.value]));

describe("resolveLWW", () => {
  it("the higher HLC wins a column both deltas wrote", () => {
    const merged = merge(
      delta("UPDATE", "a", 10, { title: "old" }),
      delta("UPDATE", "b", 20, { title: "new" }),
    );
    expect(values(merged)).toEqual({ title: "new" });
  });

  it("the result does not depend on which side is local", () => {
    const x = delta("UPDATE", "a", 10, { title: "x", done: true });
    const y = delta("UPDATE", "b", 20, { title: "y" });
    expect(merge(x, y)).toEqual(merge(y, x));
  });

  it("columns written by only one side are all kept", () => {
    const merged = merge(
      delta("UPDATE", "a", 10, { done: true }),
      delta("UPDATE", "b", 20, { title: "new" }),
    );
    expect(values(merged)).toEqual({ done: true, title: "new" });
  });

  it("equal HLCs are broken by the lexicographically higher clientId", () => {
    const merged = merge(
      delta("UPDATE", "alice", 10, { title: "A" }),
      delta("UPDATE", "bob", 10, { title: "B" }),
    );
    expect(values(merged)).toEqual({ title: "B" });
    expect(merged.clientId).toBe("bob");
  });

  it("a DELETE newer than every write keeps the row deleted", () => {
    const merged = merge(delta("UPDATE", "a", 10, { title: "x" }), delta("DELETE", "b", 20));
    expect(merged.op).toBe("DELETE");
    expect(merged.columns).toEqual([]);
  });

  it("a write newer than a DELETE resurrects the row with the write's columns", () => {
    const merged = merge(delta("DELETE", "a", 10), delta("UPDATE", "b", 20, { title: "back" }));
    expect(merged.op).toBe("UPDATE");
    expect(values(merged)).toEqual({ title: "back" });
  });

  it("of two DELETEs the later one is kept", () => {
    const later = delta("DELETE", "b", 20);
    expect(merge(delta("DELETE", "a", 10), later)).toBe(later);
  });

  it("merging a delta with itself changes nothing", () => {
    const d = delta("INSERT", "a", 10, { title: "x" });
    expect(merge(d, d)).toBe(d);
  });

  it("an INSERT merged with an UPDATE is still an INSERT with every column", () => {
    const merged = merge(
      delta("INSERT", "a", 10, { title: "x", done: false }),
      delta("UPDATE", "b", 20, { done: true }),
    );
    expect(merged.op).toBe("INSERT");
    expect(values(merged)).toEqual({ title: "x", done: true });
  });

  it("deltas for different rows or tables cannot be merged", () => {
    const result = resolveLWW(
      delta("UPDATE", "a", 10, {}, "r1"),
      delta("UPDATE", "a", 10, {}, "r2"),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("CONFLICT");
    expect(
      resolveLWW(delta("UPDATE", "a", 1, {}, "r1", "a"), delta("UPDATE", "a", 1, {}, "r1", "b")).ok,
    ).toBe(false);
  });

  it("the merged delta gets a content-derived id, not one of the inputs'", () => {
    const x = delta("UPDATE", "a", 10, { done: true });
    const y = delta("UPDATE", "b", 20, { title: "new" });
    const merged = merge(x, y);
    expect(merged.deltaId).not.toBe(x.deltaId);
    expect(merged.deltaId).not.toBe(y.deltaId);
    expect(merged.deltaId).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is available as a ConflictResolver", () => {
    const x = delta("UPDATE", "a", 10, { title: "x" });
    expect(lwwResolver.resolve(x, x)).toEqual({ ok: true, value: x });
  });
});
