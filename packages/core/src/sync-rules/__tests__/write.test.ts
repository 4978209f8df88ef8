import { describe, expect, it } from "vitest";
import { delta } from "../../conflict/__tests__/fixtures.js";
import {
  type Claims,
  type Row,
  type RowDelta,
  type SyncRules,
  unwrapOrThrow,
  validateSyncRules,
  writeRefusal,
} from "../../index.js";

/** The todo app's rules: own rows and shared rows are read; only owners change ownership. */
const rules: SyncRules = unwrapOrThrow(
  validateSyncRules({
    buckets: [
      {
        name: "own",
        tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
      },
      {
        name: "shared",
        tables: [{ table: "todos", filters: [{ column: "private", op: "eq", value: false }] }],
      },
    ],
    writes: [
      { table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] },
      {
        table: "todos",
        filters: [{ column: "private", op: "eq", value: false }],
        columns: ["title", "completed"],
        operations: ["update"],
      },
    ],
  }),
);
const alice: Claims = { sub: "alice" };
const bobsPrivate: Row = { title: "secret", owner: "bob", private: true, completed: false };
const bobsShared: Row = { ...bobsPrivate, private: false };

const merged = (before: Row | null, d: RowDelta): Row | null => {
  if (d.op === "DELETE") return before;
  const out: Record<string, Row[string]> = { ...(before ?? {}) };
  for (const c of d.columns) out[c.column] = c.value;
  return out;
};
const refusal = (before: Row | null, d: RowDelta, r = rules, claims = alice) =>
  writeRefusal(d, before, merged(before, d), r, claims);

describe("write grants", () => {
  it("an owner may create, change and delete their own rows", () => {
    const insert = delta("INSERT", "c", 1, { title: "x", owner: "alice", private: true });
    expect(refusal(null, insert)).toBeUndefined();
    const mine = { ...bobsPrivate, owner: "alice" };
    expect(refusal(mine, delta("UPDATE", "c", 2, { private: false }))).toBeUndefined();
    expect(refusal(mine, delta("DELETE", "c", 3))).toBeUndefined();
  });

  it("no one may create a row for someone else", () => {
    const forged = delta("INSERT", "c", 1, { title: "x", owner: "bob", private: true });
    expect(refusal(null, forged)).toMatch(/no write grant lets "alice" insert todos\/r1/);
  });

  it("another user's private row can be neither changed nor deleted", () => {
    expect(refusal(bobsPrivate, delta("UPDATE", "c", 2, { title: "hacked" }))).toBeDefined();
    expect(refusal(bobsPrivate, delta("DELETE", "c", 2))).toBeDefined();
  });

  it("a shared row may be retitled and ticked by anyone, but only its owner changes owner or private, or deletes it", () => {
    expect(refusal(bobsShared, delta("UPDATE", "c", 2, { title: "renamed" }))).toBeUndefined();
    expect(refusal(bobsShared, delta("UPDATE", "c", 2, { completed: true }))).toBeUndefined();
    expect(refusal(bobsShared, delta("UPDATE", "c", 2, { owner: "alice" }))).toMatch(/owner/);
    expect(refusal(bobsShared, delta("UPDATE", "c", 2, { private: true }))).toMatch(/private/);
    expect(refusal(bobsShared, delta("DELETE", "c", 2))).toBeDefined();
  });

  it("a write that repeats the row's current values does not count as changing them", () => {
    const reinsert = delta("INSERT", "c", 2, { ...bobsShared, title: "renamed" });
    expect(refusal(bobsShared, reinsert)).toBeUndefined();
  });

  it("without write grants, a client writes the rows it reads and may not move one out of them", () => {
    const readOnly = unwrapOrThrow(validateSyncRules({ buckets: rules.buckets }));
    const mine: Row = { title: "x", owner: "alice", private: true };
    expect(refusal(mine, delta("UPDATE", "c", 2, { title: "y" }), readOnly)).toBeUndefined();
    expect(refusal(mine, delta("UPDATE", "c", 2, { owner: "bob" }), readOnly)).toBeDefined();
    expect(refusal(bobsPrivate, delta("UPDATE", "c", 2, { title: "y" }), readOnly)).toBeDefined();
    // A shared row may be made private only by someone who still reads it afterwards: its owner.
    expect(refusal(bobsShared, delta("UPDATE", "c", 2, { private: true }), readOnly)).toBeDefined();
  });

  it("a token without the claim a filter names is granted nothing", () => {
    const insert = delta("INSERT", "c", 1, { title: "x", owner: "alice", private: true });
    expect(refusal(null, insert, rules, {})).toMatch(/this caller/);
  });
});

describe("validateSyncRules with write grants", () => {
  it("keeps documents without writes as they were (reads only)", () => {
    const result = validateSyncRules({ buckets: [{ name: "all", tables: [{ table: "t" }] }] });
    expect(result.ok && result.value).toEqual({
      version: 1,
      buckets: [{ name: "all", tables: [{ table: "t" }] }],
    });
  });

  it("names the offending path of a bad grant", () => {
    const bad = (writes: unknown) => {
      const result = validateSyncRules({ buckets: [], writes });
      return result.ok ? "ok" : result.error.message;
    };
    expect(bad([{ table: "t", operations: ["upsert"] }])).toMatch(/writes\[0\]\.operations\[0\]/);
    expect(bad([{ table: "t", columns: "title" }])).toMatch(/writes\[0\]\.columns/);
    expect(bad({})).toMatch(/rules\.writes: expected an array/);
    expect(bad([{ table: "t", columns: ["title"], operations: ["update"] }])).toBe("ok");
  });
});
