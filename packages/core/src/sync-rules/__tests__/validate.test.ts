import { describe, expect, it } from "vitest";
import { validateSyncRules } from "../../index.js";

const errorOf = (doc: unknown): string => {
  const result = validateSyncRules(doc);
  if (result.ok) throw new Error("expected an error");
  expect(result.error.code).toBe("SCHEMA_MISMATCH");
  return result.error.message;
};

describe("validateSyncRules", () => {
  it("accepts a document with eq and in filters and claim references", () => {
    const doc = {
      version: 1,
      buckets: [
        {
          name: "own",
          tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
        },
        {
          name: "team",
          tables: [{ table: "todos", filters: [{ column: "team", op: "in", value: "jwt:teams" }] }],
        },
        {
          name: "public",
          tables: [
            { table: "news" },
            { table: "tags", filters: [{ column: "k", op: "in", value: ["a", 1, true, null] }] },
          ],
        },
      ],
    };
    const result = validateSyncRules(doc);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.buckets).toHaveLength(3);
  });

  it("names the offending path of an unknown operator", () => {
    expect(
      errorOf({
        buckets: [
          {
            name: "b",
            tables: [
              { table: "t" },
              { table: "t", filters: [{ column: "c", op: "like", value: "x" }] },
            ],
          },
        ],
      }),
    ).toContain('rules.buckets[0].tables[1].filters[0].op: expected "eq" or "in", got "like"');
  });

  it("rejects documents that are not objects, or lack buckets", () => {
    for (const doc of [null, 42, "rules", [], {}, { buckets: "all" }]) {
      expect(errorOf(doc)).toMatch(/^invalid sync rules: rules/);
    }
  });

  it("rejects missing or empty names and table names", () => {
    expect(errorOf({ buckets: [{ tables: [] }] })).toContain("rules.buckets[0].name");
    expect(errorOf({ buckets: [{ name: "", tables: [] }] })).toContain("rules.buckets[0].name");
    expect(errorOf({ buckets: [{ name: "b", tables: [{ table: 3 }] }] })).toContain(
      "rules.buckets[0].tables[0].table",
    );
  });

  it("rejects filter values that are not scalars, and bare strings for in", () => {
    expect(
      errorOf({
        buckets: [
          {
            name: "b",
            tables: [{ table: "t", filters: [{ column: "c", op: "eq", value: { x: 1 } }] }],
          },
        ],
      }),
    ).toContain("filters[0].value");
    expect(
      errorOf({
        buckets: [
          {
            name: "b",
            tables: [{ table: "t", filters: [{ column: "c", op: "in", value: "abc" }] }],
          },
        ],
      }),
    ).toContain("jwt:<claim>");
    expect(
      errorOf({
        buckets: [
          {
            name: "b",
            tables: [{ table: "t", filters: [{ column: "c", op: "eq", value: Number.NaN }] }],
          },
        ],
      }),
    ).toContain("finite number");
  });

  it("rejects duplicate bucket names and unknown versions", () => {
    expect(
      errorOf({
        buckets: [
          { name: "b", tables: [] },
          { name: "b", tables: [] },
        ],
      }),
    ).toContain("duplicate bucket name");
    expect(errorOf({ version: 2, buckets: [] })).toContain("unsupported version");
  });

  it("rejects oversized documents instead of working through them", () => {
    const buckets = Array.from({ length: 1_001 }, (_, i) => ({ name: `b${i}`, tables: [] }));
    expect(errorOf({ buckets })).toContain("at most 1000");
  });
});
