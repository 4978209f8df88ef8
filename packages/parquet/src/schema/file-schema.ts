/**
 * @module schema/file-schema
 * Recovering the LakeSync schema of a Parquet file: from its metadata when LakeSync wrote it,
 * from its Arrow types otherwise.
 */
import {
  type ColumnType,
  Err,
  Ok,
  type Result,
  SchemaError,
  type TableSchema,
} from "@lakesync/core";
import type { Table } from "apache-arrow";
import { columnTypeOf, SCHEMA_METADATA_KEY } from "./arrow-schema.js";

const TYPES = new Set<ColumnType>(["string", "number", "boolean", "json", "null"]);

/**
 * The schema to read `table`'s user columns (all but `skip`) with: `given` when the caller
 * passes one, else the schema LakeSync recorded in the file, else one inferred from the Arrow
 * types and named `fallbackName`.
 */
export function fileSchema(
  table: Table,
  skip: ReadonlySet<string>,
  fallbackName: string,
  given?: TableSchema,
): Result<TableSchema, SchemaError> {
  if (given) return Ok(given);
  const recorded = table.schema.metadata.get(SCHEMA_METADATA_KEY);
  if (recorded !== undefined) {
    try {
      const schema = JSON.parse(recorded) as TableSchema;
      if (
        typeof schema.table !== "string" ||
        !Array.isArray(schema.columns) ||
        !schema.columns.every((c) => typeof c.name === "string" && TYPES.has(c.type))
      ) {
        return Err(
          new SchemaError(`the file's ${SCHEMA_METADATA_KEY} metadata is not a valid table schema`),
        );
      }
      return Ok(schema);
    } catch (cause) {
      return Err(
        new SchemaError(`the file's ${SCHEMA_METADATA_KEY} metadata is not JSON`, { cause }),
      );
    }
  }
  const columns: { name: string; type: ColumnType }[] = [];
  for (const field of table.schema.fields) {
    if (skip.has(field.name)) continue;
    const type = columnTypeOf(field.type);
    if (!type)
      return Err(new SchemaError(`column "${field.name}" has unsupported type ${field.type}`));
    columns.push({ name: field.name, type });
  }
  return Ok({ table: fallbackName, columns });
}
