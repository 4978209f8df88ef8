import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { readParquetToRows, writeRowsToParquet } from "../node.js";
import { todos } from "./fixtures.js";

describe("rows files", () => {
  it("round-trip materialised rows with their schema; missing columns read as null", () => {
    const rows = [
      { id: "t1", values: { title: "Milk", priority: 2, completed: false, meta: { a: [1, "2"] } } },
      { id: "t2", values: { title: null, completed: true } },
    ];
    const back = unwrapOrThrow(readParquetToRows(unwrapOrThrow(writeRowsToParquet(rows, todos))));
    expect(back.schema).toEqual(todos);
    expect(back.rows).toEqual([
      rows[0],
      { id: "t2", values: { title: null, priority: null, completed: true, meta: null } },
    ]);
  });

  it("refuse a schema that declares the id column, and values of the wrong type", () => {
    expect(
      writeRowsToParquet([], { table: "t", columns: [{ name: "id", type: "string" }] }).ok,
    ).toBe(false);
    expect(writeRowsToParquet([{ id: "a", values: { completed: "yes" } }], todos).ok).toBe(false);
  });
});
