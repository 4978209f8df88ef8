import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import {
  columnTypeOf,
  icebergToTableSchema,
  missingColumns,
  tableSchemaToIceberg,
} from "../column-mapping.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "score", type: "number" },
    { name: "done", type: "boolean" },
    { name: "meta", type: "json" },
    { name: "nothing", type: "null" },
  ],
};

describe("tableSchemaToIceberg", () => {
  it("maps row_id (1, required, identifier) and each column in order, typed, optional", () => {
    const schema = unwrapOrThrow(tableSchemaToIceberg(todos));
    expect(schema).toEqual({
      type: "struct",
      "schema-id": 0,
      "identifier-field-ids": [1],
      fields: [
        { id: 1, name: "row_id", required: true, type: "string" },
        { id: 2, name: "title", required: false, type: "string", doc: "lakesync:string" },
        { id: 3, name: "score", required: false, type: "double", doc: "lakesync:number" },
        { id: 4, name: "done", required: false, type: "boolean", doc: "lakesync:boolean" },
        { id: 5, name: "meta", required: false, type: "string", doc: "lakesync:json" },
        { id: 6, name: "nothing", required: false, type: "string", doc: "lakesync:null" },
      ],
    });
    expect(icebergToTableSchema("todos", schema)).toEqual(todos);
  });

  it("grows a previous schema: ids kept, new columns after the highest id, schema id + 1", () => {
    const previous = unwrapOrThrow(
      tableSchemaToIceberg({ table: "todos", columns: todos.columns.slice(0, 2) }),
    );
    const grown = unwrapOrThrow(tableSchemaToIceberg(todos, previous));
    expect(grown["schema-id"]).toBe(1);
    expect(grown.fields.map((f) => [f.id, f.name])).toEqual([
      [1, "row_id"],
      [2, "title"],
      [3, "score"],
      [4, "done"],
      [5, "meta"],
      [6, "nothing"],
    ]);
    // Columns the TableSchema no longer lists stay (schemas only grow); nothing to add: unchanged.
    expect(unwrapOrThrow(tableSchemaToIceberg({ table: "todos", columns: [] }, grown))).toBe(grown);
    expect(
      unwrapOrThrow(missingColumns(todos, previous)).map((c) => [c.name, c.type, c.doc]),
    ).toEqual([
      ["done", "boolean", "lakesync:boolean"],
      ["meta", "string", "lakesync:json"],
      ["nothing", "string", "lakesync:null"],
    ]);
  });

  it("refuses a retyped column, reserved names and tables that are not LakeSync tables", () => {
    const previous = unwrapOrThrow(tableSchemaToIceberg(todos));
    for (const type of ["number", "json"] as const) {
      const retyped = tableSchemaToIceberg(
        { table: "todos", columns: [{ name: "title", type }] },
        previous,
      );
      expect(retyped.ok || retyped.error.code).toBe("SCHEMA_MISMATCH");
    }
    for (const name of ["row_id", "ROW_ID", "_lakesync_x", "id"]) {
      const reserved = tableSchemaToIceberg({ table: "t", columns: [{ name, type: "string" }] });
      expect(reserved.ok || reserved.error.code).toBe("SCHEMA_MISMATCH");
    }
    expect(tableSchemaToIceberg({ table: "_lakesync_state_t", columns: [] }).ok).toBe(false);
    const foreign = { ...previous, fields: previous.fields.slice(1) };
    expect(tableSchemaToIceberg(todos, foreign).ok).toBe(false);
  });

  it("reads the types of fields other engines added from their Iceberg types", () => {
    const field = (type: string) => ({ id: 9, name: "x", required: false, type }) as never;
    expect(
      ["long", "int", "float", "decimal(9, 2)", "string", "boolean", "date"].map((t) =>
        columnTypeOf(field(t)),
      ),
    ).toEqual(["number", "number", "number", "number", "string", "boolean", "json"]);
  });
});
