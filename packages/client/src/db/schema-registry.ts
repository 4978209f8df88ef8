/**
 * @module db/schema-registry
 * Creating and growing local tables from `TableSchema`s.
 */
import {
  type ColumnType,
  Err,
  Ok,
  type Result,
  SchemaError,
  type TableSchema,
} from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import { createTableSql, SQLITE_TYPES } from "./column-codec.js";
import type { LocalDB } from "./local-db.js";
import { rematerialiseTable } from "./row-store.js";
import { quoteIdentifier } from "./sql-identifier.js";

const TYPES = new Set<ColumnType>(["string", "number", "boolean", "json", "null"]);

/** Checks an untrusted schema: names present and unique, types known, table name not reserved. */
export function validateTableSchema(schema: unknown): Result<TableSchema, SchemaError> {
  const s = schema as Partial<TableSchema> | null;
  if (typeof s !== "object" || s === null) return Err(new SchemaError("schema must be an object"));
  if (typeof s.table !== "string" || s.table.length === 0)
    return Err(new SchemaError("schema.table must be a non-empty string"));
  if (
    s.table.toLowerCase().startsWith("_lakesync") ||
    s.table.toLowerCase().startsWith("sqlite_")
  ) {
    return Err(new SchemaError(`table name "${s.table}" is reserved`));
  }
  if (!Array.isArray(s.columns))
    return Err(new SchemaError(`schema.columns of "${s.table}" must be an array`));
  const seen = new Set<string>();
  for (const [i, c] of s.columns.entries()) {
    if (typeof c?.name !== "string" || c.name.length === 0)
      return Err(new SchemaError(`${s.table}.columns[${i}].name must be a non-empty string`));
    if (!TYPES.has(c.type))
      return Err(new SchemaError(`${s.table}.${c.name}: unknown type ${JSON.stringify(c.type)}`));
    if (seen.has(c.name.toLowerCase()))
      return Err(new SchemaError(`${s.table}: duplicate column "${c.name}"`));
    seen.add(c.name.toLowerCase());
  }
  return Ok(s as TableSchema);
}

/**
 * Creates the table for a schema, or adds the columns a grown schema has (existing data is
 * kept; values synced for those columns earlier are filled in). Changing a column's type or
 * dropping a column is an `Err(SchemaError)`: that needs an explicit migration.
 */
export function registerSchema(
  db: LocalDB,
  schema: TableSchema,
): Result<void, SchemaError | LocalDBError> {
  const valid = validateTableSchema(schema);
  if (!valid.ok) return valid;
  const previous = db.schemaOf(schema.table);
  return db.transaction<void>(() => {
    if (!previous) {
      const created = db.exec(createTableSql(schema));
      if (!created.ok) return created;
    } else {
      for (const old of previous.columns) {
        const now = schema.columns.find((c) => c.name === old.name);
        if (!now)
          return Err(
            new SchemaError(`${schema.table}.${old.name} cannot be dropped without a migration`),
          );
        if (now.type !== old.type)
          return Err(
            new SchemaError(
              `${schema.table}.${old.name} cannot change type from ${old.type} to ${now.type} without a migration`,
            ),
          );
      }
      for (const column of schema.columns) {
        if (column.name === "id" || previous.columns.some((c) => c.name === column.name)) continue;
        const added = db.exec(
          `ALTER TABLE ${quoteIdentifier(schema.table)} ADD COLUMN ${quoteIdentifier(column.name)} ${SQLITE_TYPES[column.type]}`,
        );
        if (!added.ok) return added;
      }
    }
    const remembered = db.rememberSchema(schema);
    if (!remembered.ok) return remembered;
    return previous ? rematerialiseTable(db, schema) : Ok(undefined);
  });
}
