import { describe, expect, it } from "vitest";
import { delta } from "../../conflict/__tests__/fixtures.js";
import {
  type Claims,
  filterDeltas,
  rowAllowed,
  type SyncRules,
  unwrapOrThrow,
  validateSyncRules,
} from "../../index.js";

const rules: SyncRules = unwrapOrThrow(
  validateSyncRules({
    buckets: [
      {
        name: "own",
        tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
      },
      {
        name: "team",
        tables: [
          { table: "projects", filters: [{ column: "team", op: "in", value: "jwt:teams" }] },
        ],
      },
      { name: "public", tables: [{ table: "news" }] },
    ],
  }),
);
const alice: Claims = { sub: "alice", teams: ["red", "blue"] };

describe("filterDeltas", () => {
  it("grants rows whose column equals the caller's claim and withholds others", () => {
    const mine = delta("INSERT", "c", 1, { owner: "alice", title: "x" }, "1");
    const theirs = delta("INSERT", "c", 2, { owner: "bob", title: "y" }, "2");
    expect(filterDeltas([mine, theirs], rules, alice)).toEqual([mine]);
  });

  it("in against a list claim grants any listed value", () => {
    const red = delta("INSERT", "c", 1, { team: "red" }, "1", "projects");
    const green = delta("INSERT", "c", 1, { team: "green" }, "2", "projects");
    expect(filterDeltas([red, green], rules, alice)).toEqual([red]);
  });

  it("the union of buckets is returned, and tables without filters are granted whole", () => {
    const news = delta("INSERT", "c", 1, { body: "hi" }, "n1", "news");
    const mine = delta("INSERT", "c", 1, { owner: "alice" }, "1");
    expect(filterDeltas([news, mine], rules, alice)).toEqual([news, mine]);
  });

  it("tables no bucket mentions are never sent", () => {
    expect(
      filterDeltas([delta("INSERT", "c", 1, { owner: "alice" }, "1", "secrets")], rules, alice),
    ).toEqual([]);
  });

  it("a missing claim grants nothing rather than everything", () => {
    expect(filterDeltas([delta("INSERT", "c", 1, { owner: "alice" }, "1")], rules, {})).toEqual([]);
  });

  it("an UPDATE without the filtered column is judged by the stored row", () => {
    const update = delta("UPDATE", "c", 5, { title: "renamed" }, "1");
    const rowsById: Record<string, { owner: string }> = { "1": { owner: "alice" } };
    expect(filterDeltas([update], rules, alice)).toEqual([]);
    expect(filterDeltas([update], rules, alice, { lookupRow: (_t, id) => rowsById[id] })).toEqual([
      update,
    ]);
    expect(
      filterDeltas([update], rules, { sub: "bob" }, { lookupRow: (_t, id) => rowsById[id] }),
    ).toEqual([]);
  });

  it("a DELETE reaches the owner through the row lookup", () => {
    const del = delta("DELETE", "c", 5, {}, "1");
    expect(filterDeltas([del], rules, alice, { lookupRow: () => ({ owner: "alice" }) })).toEqual([
      del,
    ]);
  });

  it("literal values match by deep equality and nothing else", () => {
    const literal = unwrapOrThrow(
      validateSyncRules({
        buckets: [
          {
            name: "b",
            tables: [{ table: "t", filters: [{ column: "n", op: "in", value: [1, "2"] }] }],
          },
        ],
      }),
    );
    const one = delta("INSERT", "c", 1, { n: 1 }, "a", "t");
    const two = delta("INSERT", "c", 1, { n: 2 }, "b", "t");
    const strTwo = delta("INSERT", "c", 1, { n: "2" }, "c", "t");
    expect(filterDeltas([one, two, strTwo], literal, {})).toEqual([one, strTwo]);
  });

  it("does not modify its input", () => {
    const input = [delta("INSERT", "c", 1, { owner: "bob" }, "1")];
    const copy = [...input];
    filterDeltas(input, rules, alice);
    expect(input).toEqual(copy);
  });
});

describe("rowAllowed", () => {
  it("judges a row by its values, like the deltas that wrote it", () => {
    expect(rowAllowed("todos", { owner: "alice", title: "x" }, rules, alice)).toBe(true);
    expect(rowAllowed("todos", { owner: "bob", title: "x" }, rules, alice)).toBe(false);
    expect(rowAllowed("projects", { team: "blue" }, rules, alice)).toBe(true);
  });

  it("an unknown row is granted only by rules without filters", () => {
    expect(rowAllowed("todos", null, rules, alice)).toBe(false);
    expect(rowAllowed("news", null, rules, alice)).toBe(true);
    expect(rowAllowed("secrets", null, rules, alice)).toBe(false);
  });
});
