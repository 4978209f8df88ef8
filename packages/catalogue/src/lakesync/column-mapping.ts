/**
 * @module lakesync/column-mapping
 * A synced table's `TableSchema` as the Iceberg schema of `ns.T`, and back: `row_id` (field id 1,
 * required, the identifier field), then one optional field per column: string → string,
 * number → double, boolean → boolean, json → string (the JSON text), null → string (always
 * null). Each field's `doc` records the LakeSync type (`lakesync:json`), since json, null and
 * string columns share the Iceberg type `string`. Field ids are assigned once: a grown schema
 * keeps every id and gives new columns ids above the highest.
 */
import {
  type ColumnType,
  Err,
  Ok,
  type Result,
  SchemaError,
  type TableSchema,
  validateTableSchema,
} from "@lakesync/core";
import type { NewColumn } from "../commit/table-setup.js";
import { highestFieldId } from "../iceberg/schema-json.js";
import type { IcebergField, IcebergPrimitive, IcebergSchema } from "../iceberg/types.js";
import { ROW_ID_COLUMN, ROW_ID_FIELD_ID } from "./layout.js";

const ICEBERG_TYPES: Readonly<Record<ColumnType, IcebergPrimitive>> = {
  string: "string",
  number: "double",
  boolean: "boolean",
  json: "string",
  null: "string",
};
const DOC_PREFIX = "lakesync:";
const TAGGED = /^lakesync:(string|number|boolean|json|null)$/;

/** The Iceberg type a LakeSync column type is stored as. */
export function icebergTypeOf(type: ColumnType): IcebergPrimitive {
  return ICEBERG_TYPES[type];
}

/**
 * The LakeSync type of an Iceberg field: the one its `doc` records, or else the nearest for its
 * Iceberg type (numbers for numeric types, boolean, string; json for anything else). `undefined`
 * for nested types.
 */
export function columnTypeOf(field: IcebergField): ColumnType | undefined {
  const tagged = TAGGED.exec(field.doc ?? "");
  if (tagged) return tagged[1] as ColumnType;
  if (typeof field.type !== "string") return undefined;
  if (field.type === "string") return "string";
  if (field.type === "boolean") return "boolean";
  if (/^(int|long|float|double|decimal)/.test(field.type)) return "number";
  return "json";
}

function newField(id: number, name: string, type: ColumnType): IcebergField {
  return { id, name, required: false, type: icebergTypeOf(type), doc: `${DOC_PREFIX}${type}` };
}

function fits(field: IcebergField, type: ColumnType): boolean {
  if (field.type !== icebergTypeOf(type)) return false;
  const tagged = TAGGED.exec(field.doc ?? "");
  return !tagged || tagged[1] === type;
}

function checkRowId(schema: IcebergSchema): SchemaError | undefined {
  const rowId = schema.fields.find((f) => f.name === ROW_ID_COLUMN);
  if (rowId?.id === ROW_ID_FIELD_ID && rowId.type === "string" && rowId.required) return undefined;
  return new SchemaError(
    `the Iceberg schema has no required string "${ROW_ID_COLUMN}" with field id ${ROW_ID_FIELD_ID}: it is not a LakeSync table`,
  );
}

function absentColumns(
  schema: TableSchema,
  current: IcebergSchema,
): Result<TableSchema["columns"], SchemaError> {
  const valid = validateTableSchema(schema);
  if (!valid.ok) return valid;
  const bad = checkRowId(current);
  if (bad) return Err(bad);
  const out: TableSchema["columns"][number][] = [];
  for (const column of valid.value.columns) {
    const existing = current.fields.find((f) => f.name === column.name);
    if (!existing) out.push(column);
    else if (!fits(existing, column.type))
      return Err(
        new SchemaError(
          `${schema.table}.${column.name} is ${column.type}, but the Iceberg table has it as ${JSON.stringify(existing.type)}${existing.doc ? ` (${existing.doc})` : ""}`,
        ),
      );
  }
  return Ok(out);
}

/**
 * The columns of `schema` that `current` lacks, as columns for `addColumns`. `Err(SchemaError)`
 * when `schema` is invalid (core's `validateTableSchema`: reserved names, duplicates), when
 * `current` is not a LakeSync table, or when a column exists in `current` with another type.
 */
export function missingColumns(
  schema: TableSchema,
  current: IcebergSchema,
): Result<NewColumn[], SchemaError> {
  const absent = absentColumns(schema, current);
  if (!absent.ok) return absent;
  return Ok(
    absent.value.map((c) => ({
      name: c.name,
      type: icebergTypeOf(c.type),
      doc: `${DOC_PREFIX}${c.type}`,
    })),
  );
}

/**
 * The Iceberg schema of `ns.T` for `schema` (see the module comment). With `previous` (the
 * table's current Iceberg schema), every existing field keeps its id and place, and columns it
 * lacks are appended with ids above its highest; the schema id is `previous`'s plus one when
 * anything was added. (Against a live table, `addColumns` assigns ids from the table's
 * `last-column-id` instead, which also skips ids of dropped columns.) `Err(SchemaError)` as
 * {@link missingColumns}.
 *
 * @example
 * const iceberg = unwrapOrThrow(tableSchemaToIceberg({ table: "todos", columns: [
 *   { name: "title", type: "string" }, { name: "done", type: "boolean" }] }));
 * // row_id (1, required), title (2), done (3); identifier-field-ids [1]
 */
export function tableSchemaToIceberg(
  schema: TableSchema,
  previous?: IcebergSchema,
): Result<IcebergSchema, SchemaError> {
  const base: IcebergSchema = previous ?? {
    type: "struct",
    "schema-id": 0,
    "identifier-field-ids": [ROW_ID_FIELD_ID],
    fields: [{ id: ROW_ID_FIELD_ID, name: ROW_ID_COLUMN, required: true, type: "string" }],
  };
  const absent = absentColumns(schema, base);
  if (!absent.ok) return absent;
  if (absent.value.length === 0) return Ok(base);
  let next = highestFieldId(base);
  const added = absent.value.map((c) => newField(++next, c.name, c.type));
  return Ok({
    ...base,
    "schema-id": previous ? previous["schema-id"] + 1 : 0,
    fields: [...base.fields, ...added],
  });
}

/**
 * The `TableSchema` of an Iceberg table of the layout: every top-level field but `row_id`, typed
 * by {@link columnTypeOf}; nested fields are left out.
 */
export function icebergToTableSchema(table: string, schema: IcebergSchema): TableSchema {
  const columns: { name: string; type: ColumnType }[] = [];
  for (const field of schema.fields) {
    if (field.id === ROW_ID_FIELD_ID) continue;
    const type = columnTypeOf(field);
    if (type) columns.push({ name: field.name, type });
  }
  return { table, columns };
}
