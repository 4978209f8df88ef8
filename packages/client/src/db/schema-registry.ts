/**
 * @module db/schema-registry
 * Creating and growing local tables from `TableSchema`s.
 */
import {
  checkSchemaGrowth,
  Ok,
  type Result,
  type SchemaError,
  type TableSchema,
  validateTableSchema,
} from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import { createTableSql, SQLITE_TYPES } from "./column-codec.js";
import type { LocalDB } from "./local-db.js";
import { rematerialiseTable } from "./row-store.js";
import { quoteIdentifier } from "./sql-identifier.js";
import { ensureStampTable } from "./stamp-table.js";

/**
 * Creates the table for a schema (and the stamp table of its merge state), or adds the columns a
 * grown schema has (existing data is kept; values synced for those columns earlier are filled
 * in). Changing a column's type or dropping a column is an `Err(SchemaError)`: that needs an
 * explicit migration.
 */
export function registerSchema(
  db: LocalDB,
  document: TableSchema,
): Result<void, SchemaError | LocalDBError> {
  const valid = validateTableSchema(document);
  if (!valid.ok) return valid;
  const schema = valid.value;
  const previous = db.schemaOf(schema.table);
  return db.transaction<void>(() => {
    let grew = false;
    if (!previous) {
      const created = db.exec(createTableSql(schema));
      if (!created.ok) return created;
    } else {
      const grows = checkSchemaGrowth(previous, schema);
      if (!grows.ok) return grows;
      grew = grows.value;
      for (const column of schema.columns) {
        if (column.name === "id" || previous.columns.some((c) => c.name === column.name)) continue;
        const added = db.exec(
          `ALTER TABLE ${quoteIdentifier(schema.table)} ADD COLUMN ${quoteIdentifier(column.name)} ${SQLITE_TYPES[column.type]}`,
        );
        if (!added.ok) return added;
      }
    }
    const stamps = ensureStampTable(db, schema);
    if (!stamps.ok) return stamps;
    const remembered = db.rememberSchema(schema);
    if (!remembered.ok) return remembered;
    // Registering the same schema again (every app start does) leaves the rows as they are.
    return grew ? rematerialiseTable(db, schema) : Ok(undefined);
  });
}
