/**
 * @module schema/arrow-schema
 * Mapping LakeSync table schemas to Arrow types, and back for files written elsewhere.
 */
import type { ColumnType, TableSchema } from "@lakesync/core";
import { Bool, type DataType, Field, Float64, List, Schema, Uint64, Utf8 } from "apache-arrow";

/** Names of the delta metadata columns of a delta file; user columns may not use them. */
export const DELTA_COLUMNS = [
  "op",
  "table",
  "row_id",
  "client_id",
  "hlc",
  "delta_id",
  "_present",
] as const;

/** Schema metadata key holding the TableSchema JSON, so `json` and `string` stay distinct. */
export const SCHEMA_METADATA_KEY = "lakesync.schema";
/** Schema metadata key naming the file's layout (`deltas-v1` or `rows-v1`). */
export const FORMAT_METADATA_KEY = "lakesync.format";

/** The Arrow type a LakeSync column is stored as (json is UTF-8 JSON text). */
export function arrowTypeOf(type: ColumnType): DataType {
  switch (type) {
    case "number":
      return new Float64();
    case "boolean":
      return new Bool();
    default:
      return new Utf8();
  }
}

const userFields = (schema: TableSchema) =>
  schema.columns.map((c) => new Field(c.name, arrowTypeOf(c.type), true));

/**
 * The Arrow schema of a delta file for `schema`: the delta metadata columns (non-null; `hlc` is
 * UInt64, `_present` lists the carried column names), then one nullable field per column.
 * The file's key-value metadata (the TableSchema itself) is added when it is written.
 */
export function deltaArrowSchema(schema: TableSchema): Schema {
  const text = (name: string) => new Field(name, new Utf8(), false);
  return new Schema([
    text("op"),
    text("table"),
    text("row_id"),
    text("client_id"),
    new Field("hlc", new Uint64(), false),
    text("delta_id"),
    new Field("_present", new List(new Field("item", new Utf8(), false)), false),
    ...userFields(schema),
  ]);
}

/** The Arrow schema of a rows file for `schema`: a non-null `id`, then one field per column. */
export function rowsArrowSchema(schema: TableSchema): Schema {
  return new Schema([new Field("id", new Utf8(), false), ...userFields(schema)]);
}

/** The LakeSync column type an Arrow column is read as, for files without LakeSync metadata. */
export function columnTypeOf(type: DataType): ColumnType | undefined {
  const name = type.toString();
  if (name === "Utf8" || name === "LargeUtf8" || name.startsWith("Dictionary<")) return "string";
  if (name === "Bool") return "boolean";
  if (/^(Float|Int|Uint)\d+$/.test(name) || name.startsWith("Decimal")) return "number";
  return undefined;
}

/** The schema used when deltas are written without one: every column as JSON text. */
export function jsonSchemaFor(table: string, columns: Iterable<string>): TableSchema {
  return { table, columns: [...columns].map((name) => ({ name, type: "json" as const })) };
}
