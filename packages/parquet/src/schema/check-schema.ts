/**
 * @module schema/check-schema
 * The checks a table schema must pass before a file is written with it.
 */
import { SchemaError, type TableSchema } from "@lakesync/core";

/**
 * The problem with writing `schema` as a file's columns, if any: a column name used twice, or a
 * name in `reserved` (the delta metadata columns, or `id` in a rows file).
 */
export function schemaProblem(
  schema: TableSchema,
  reserved: ReadonlySet<string>,
): SchemaError | undefined {
  const seen = new Set<string>();
  for (const { name } of schema.columns) {
    if (reserved.has(name))
      return new SchemaError(`column "${name}" uses a name reserved for ${reservedFor(reserved)}`);
    if (seen.has(name))
      return new SchemaError(`column "${name}" appears twice in the schema of "${schema.table}"`);
    seen.add(name);
  }
  return undefined;
}

const reservedFor = (reserved: ReadonlySet<string>) =>
  reserved.has("id") ? "the row id" : "delta metadata";
