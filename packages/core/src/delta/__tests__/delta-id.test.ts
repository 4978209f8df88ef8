import { describe, expect, it } from "vitest";
import { type DeltaIdInput, deltaId, encodeHLC, rowKey, unwrapOrThrow } from "../../index.js";

const base: DeltaIdInput = {
  clientId: "phone",
  hlc: unwrapOrThrow(encodeHLC(1_700_000_000_000, 3)),
  table: "todos",
  rowId: "t1",
  columns: [
    { column: "title", value: "Milk" },
    { column: "meta", value: { a: 1, b: 2 } },
  ],
};

describe("deltaId", () => {
  it("is a 64-character lower-case hex SHA-256", () => {
    expect(deltaId(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the same for the same delta, so a re-push is recognised", () => {
    expect(deltaId(base)).toBe(deltaId({ ...base, columns: base.columns.map((c) => ({ ...c })) }));
  });

  it("ignores column order and key order inside JSON values", () => {
    const reordered: DeltaIdInput = {
      ...base,
      columns: [
        { column: "meta", value: { b: 2, a: 1 } },
        { column: "title", value: "Milk" },
      ],
    };
    expect(deltaId(reordered)).toBe(deltaId(base));
  });

  it("changes when any identifying field changes", () => {
    const id = deltaId(base);
    expect(deltaId({ ...base, clientId: "laptop" })).not.toBe(id);
    expect(deltaId({ ...base, hlc: unwrapOrThrow(encodeHLC(1_700_000_000_000, 4)) })).not.toBe(id);
    expect(deltaId({ ...base, table: "notes" })).not.toBe(id);
    expect(deltaId({ ...base, rowId: "t2" })).not.toBe(id);
    expect(deltaId({ ...base, columns: [{ column: "title", value: "Milk!" }] })).not.toBe(id);
  });

  it("is pinned: the serialisation is a compatibility contract across releases", () => {
    // sha256('{"clientId":"phone","columns":[{"column":"title","value":"Milk"}],"hlc":"111411200000000003","rowId":"t1","table":"todos"}')
    const pinned = deltaId({ ...base, columns: [{ column: "title", value: "Milk" }] });
    expect(pinned).toBe(PINNED);
  });
});

describe("rowKey", () => {
  it("never lets a colon in a name make two rows collide", () => {
    expect(rowKey("a:b", "c")).not.toBe(rowKey("a", "b:c"));
    expect(rowKey("todos", "1")).toBe(rowKey("todos", "1"));
  });
});

// Cross-checked against node:crypto over the JSON above when the format was fixed.
const PINNED = "247c1c590e8dfb414b464a86cc55e2cfba997652a5ded7034d263336700b77aa";
