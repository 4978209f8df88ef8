import { describe, expect, it } from "vitest";
import {
  applyDelta,
  type DeltaContext,
  deltaId,
  encodeHLC,
  extractDelta,
  type RowDelta,
  type TableSchema,
  unwrapOrThrow,
} from "../../index.js";

const hlc = unwrapOrThrow(encodeHLC(1_700_000_000_000, 0));
const ctx: DeltaContext = { table: "todos", rowId: "t1", clientId: "phone", hlc };
const extract = (
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  c = ctx,
) => unwrapOrThrow(extractDelta(before, after, c));

describe("extractDelta", () => {
  it("an INSERT carries every column", () => {
    const delta = extract(null, { title: "Milk", done: false, tags: ["a"] });
    expect(delta?.op).toBe("INSERT");
    expect(delta?.columns).toEqual([
      { column: "title", value: "Milk" },
      { column: "done", value: false },
      { column: "tags", value: ["a"] },
    ]);
  });

  it("an UPDATE carries only the changed columns", () => {
    const delta = extract({ title: "Milk", done: false }, { title: "Milk", done: true });
    expect(delta?.op).toBe("UPDATE");
    expect(delta?.columns).toEqual([{ column: "done", value: true }]);
  });

  it("a DELETE carries no columns", () => {
    const delta = extract({ title: "Milk" }, null);
    expect(delta?.op).toBe("DELETE");
    expect(delta?.columns).toEqual([]);
  });

  it("identical rows give no delta", () => {
    expect(extract({ a: 1, b: { x: 1 } }, { a: 1, b: { x: 1 } })).toBeNull();
    expect(extract(null, null)).toBeNull();
  });

  it("nested JSON is compared regardless of key order", () => {
    expect(
      extract(
        { meta: { a: 1, b: [1, { c: 2, d: 3 }] } },
        { meta: { b: [1, { d: 3, c: 2 }], a: 1 } },
      ),
    ).toBeNull();
  });

  it("a change deep inside JSON is a change of the whole column", () => {
    const delta = extract({ meta: { a: { b: 1 } } }, { meta: { a: { b: 2 } } });
    expect(delta?.columns).toEqual([{ column: "meta", value: { a: { b: 2 } } }]);
  });

  it("undefined means absent and is skipped; null is a real value", () => {
    const insert = extract(null, { a: undefined, b: null });
    expect(insert?.columns).toEqual([{ column: "b", value: null }]);
    expect(extract({ a: 1 }, { a: undefined })).toBeNull();
    expect(extract({ a: 1 }, { a: null })?.columns).toEqual([{ column: "a", value: null }]);
  });

  it("a schema keeps only its columns, in its order", () => {
    const schema: TableSchema = {
      table: "todos",
      columns: [
        { name: "done", type: "boolean" },
        { name: "title", type: "string" },
      ],
    };
    const delta = extract(null, { title: "Milk", secret: "x", done: false }, { ...ctx, schema });
    expect(delta?.columns.map((c) => c.column)).toEqual(["done", "title"]);
  });

  it("a schema for another table is an error", () => {
    const schema: TableSchema = { table: "notes", columns: [] };
    const result = extractDelta(null, { a: 1 }, { ...ctx, schema });
    expect(result.ok).toBe(false);
  });

  it("values that are not JSON are rejected with the offending path", () => {
    for (const bad of [
      () => 1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Date(0),
      10n,
      Symbol("s"),
      { deep: [undefined] },
    ]) {
      const result = extractDelta(null, { col: bad }, ctx);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("INVALID_INPUT");
        expect(result.error.message).toContain("todos.col");
      }
    }
  });

  it("a column called __proto__ is data, not a prototype change", () => {
    const row = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const delta = extract(null, row);
    expect(delta?.columns).toEqual([{ column: "__proto__", value: { polluted: true } }]);
    const applied = applyDelta(null, delta as RowDelta);
    expect(Object.getPrototypeOf(applied)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("stamps the delta with a deterministic id over its content", () => {
    const delta = extract(null, { title: "Milk" });
    expect(delta?.deltaId).toBe(deltaId({ ...ctx, columns: [{ column: "title", value: "Milk" }] }));
  });
});

describe("applyDelta", () => {
  it("writes INSERT and UPDATE columns over the row without mutating it", () => {
    const row = Object.freeze({ title: "Milk", done: false });
    const update = extract(row, { ...row, done: true }) as RowDelta;
    expect(applyDelta(row, update)).toEqual({ title: "Milk", done: true });
    expect(row).toEqual({ title: "Milk", done: false });
  });

  it("a DELETE gives null, and an UPDATE of a missing row gives just its columns", () => {
    expect(applyDelta({ a: 1 }, extract({ a: 1 }, null) as RowDelta)).toBeNull();
    expect(applyDelta(null, extract({ a: 1 }, { a: 2 }) as RowDelta)).toEqual({ a: 2 });
  });

  it("extract then apply reproduces the new row", () => {
    const before = { a: 1, b: "x", c: { d: [1, 2] } };
    const after = { a: 2, b: "x", c: { d: [1, 2, 3] } };
    expect(applyDelta(before, extract(before, after) as RowDelta)).toEqual(after);
  });
});
