import { describe, expect, it } from "vitest";
import { checkSchemaGrowth, type TableSchema, validateTableSchema } from "../../index.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
  ],
};

const problem = (document: unknown) => {
  const result = validateTableSchema(document);
  return result.ok ? null : result.error.message;
};

describe("validateTableSchema", () => {
  it("accepts a schema and returns only its known fields", () => {
    const result = validateTableSchema({ ...todos, extra: 1 });
    expect(result.ok && result.value).toEqual(todos);
  });

  it("refuses reserved column names (id, delta metadata, _lakesync*), in any case", () => {
    for (const name of [
      "id",
      "ID",
      "op",
      "hlc",
      "HLC",
      "row_id",
      "client_id",
      "delta_id",
      "table",
      "_present",
      "_lakesync_x",
    ])
      expect(problem({ table: "t", columns: [{ name, type: "string" }] })).toMatch(/reserved/);
  });

  it("refuses reserved table names", () => {
    expect(problem({ table: "_lakesync_rows", columns: [] })).toMatch(/reserved/);
    expect(problem({ table: "sqlite_master", columns: [] })).toMatch(/reserved/);
  });

  it("refuses duplicates, unknown types and malformed documents with a message", () => {
    expect(
      problem({
        table: "t",
        columns: [
          { name: "a", type: "string" },
          { name: "A", type: "string" },
        ],
      }),
    ).toMatch(/duplicate/);
    expect(problem({ table: "t", columns: [{ name: "a", type: "text" }] })).toMatch(/unknown type/);
    expect(problem(null)).toMatch(/object/);
    expect(problem({ table: "", columns: [] })).toMatch(/non-empty/);
  });
});

describe("checkSchemaGrowth", () => {
  it("a new table and added columns grow; the same schema does not", () => {
    expect(checkSchemaGrowth(undefined, todos)).toEqual({ ok: true, value: true });
    expect(checkSchemaGrowth(todos, todos)).toEqual({ ok: true, value: false });
    const grown = {
      ...todos,
      columns: [...todos.columns, { name: "due", type: "string" as const }],
    };
    expect(checkSchemaGrowth(todos, grown)).toEqual({ ok: true, value: true });
  });

  it("dropping or retyping a column needs a migration", () => {
    const dropped = checkSchemaGrowth(todos, {
      table: "todos",
      columns: [{ name: "title", type: "string" }],
    });
    expect(!dropped.ok && dropped.error.message).toMatch(/cannot be dropped/);
    const retyped = checkSchemaGrowth(todos, {
      table: "todos",
      columns: [
        { name: "title", type: "json" },
        { name: "done", type: "boolean" },
      ],
    });
    expect(!retyped.ok && retyped.error.message).toMatch(/cannot change type/);
  });
});
