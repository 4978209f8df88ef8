/**
 * @module delta/table-schema
 * Validating table schemas and checking values against their declared column types.
 */
import { SchemaError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import type { ColumnType, ColumnValue, TableSchema } from "./types.js";

const TYPES: ReadonlySet<string> = new Set<ColumnType>([
  "string",
  "number",
  "boolean",
  "json",
  "null",
]);
const MAX_NAME = 256;

/**
 * Column names no table may use, compared case-insensitively: `id` (the row id in every local
 * table, database table and rows file) and the delta metadata columns of history files. Names
 * starting with `_lakesync` are reserved too.
 */
export const RESERVED_COLUMN_NAMES: ReadonlySet<string> = new Set([
  "id",
  "op",
  "table",
  "row_id",
  "client_id",
  "hlc",
  "delta_id",
  "_present",
]);

/** Table names may not start with these (LakeSync's own tables, SQLite's internal tables). */
const RESERVED_TABLE_PREFIXES = ["_lakesync", "sqlite_"];

function nameProblem(name: unknown, what: string): string | null {
  if (typeof name !== "string" || name.length === 0) return `${what} must be a non-empty string`;
  if (name.length > MAX_NAME) return `${what} is longer than ${MAX_NAME} characters`;
  if (name.includes("\u0000")) return `${what} contains a NUL character`;
  return null;
}

/**
 * Checks that an untrusted document is a {@link TableSchema}: a non-empty table name that is not
 * reserved, and columns with non-empty, unique (case-insensitively) names of a known type, none
 * of them reserved ({@link RESERVED_COLUMN_NAMES}, `_lakesync*`). Names may hold any other
 * character; every backend quotes them. Returns a copy holding only the known fields. The one
 * schema check of every package (client, gateway, adapters).
 */
export function validateTableSchema(document: unknown): Result<TableSchema, SchemaError> {
  if (typeof document !== "object" || document === null || Array.isArray(document))
    return Err(new SchemaError("a table schema must be an object"));
  const { table, columns } = document as { table?: unknown; columns?: unknown };
  const tableProblem = nameProblem(table, "schema.table");
  if (tableProblem !== null) return Err(new SchemaError(tableProblem));
  const name = table as string;
  const lowerName = name.toLowerCase();
  if (RESERVED_TABLE_PREFIXES.some((prefix) => lowerName.startsWith(prefix)))
    return Err(new SchemaError(`table name "${name}" is reserved`));
  if (!Array.isArray(columns))
    return Err(new SchemaError(`schema.columns of "${name}" must be an array`));
  const seen = new Set<string>();
  const out: { name: string; type: ColumnType }[] = [];
  for (const [i, column] of columns.entries()) {
    const c = (typeof column === "object" && column !== null ? column : {}) as {
      name?: unknown;
      type?: unknown;
    };
    const problem = nameProblem(c.name, `${name}.columns[${i}].name`);
    if (problem !== null) return Err(new SchemaError(problem));
    const columnName = c.name as string;
    if (typeof c.type !== "string" || !TYPES.has(c.type))
      return Err(new SchemaError(`${name}.${columnName}: unknown type ${JSON.stringify(c.type)}`));
    const key = columnName.toLowerCase();
    if (RESERVED_COLUMN_NAMES.has(key) || key.startsWith("_lakesync"))
      return Err(
        new SchemaError(
          `${name}.${columnName}: the column name is reserved (id, delta metadata or _lakesync*)`,
        ),
      );
    if (seen.has(key)) return Err(new SchemaError(`${name}: duplicate column "${columnName}"`));
    seen.add(key);
    out.push({ name: columnName, type: c.type as ColumnType });
  }
  return Ok({ table: name, columns: out });
}

/** True when `value` may be stored in a column of `type`; `null` fits every type. */
export function valueFitsType(type: ColumnType, value: ColumnValue): boolean {
  if (value === null) return true;
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "json":
      return true;
    case "null":
      return false;
  }
}

/**
 * The one "schemas only grow" rule: `next` may add columns to `previous` but never drop or
 * retype one (that needs an explicit migration). Returns whether `next` adds anything, or
 * `Err(SchemaError)` naming the dropped or retyped column.
 */
export function checkSchemaGrowth(
  previous: TableSchema | undefined,
  next: TableSchema,
): Result<boolean, SchemaError> {
  if (!previous) return Ok(true);
  for (const old of previous.columns) {
    const now = next.columns.find((c) => c.name === old.name);
    if (!now)
      return Err(
        new SchemaError(`${next.table}.${old.name} cannot be dropped without a migration`),
      );
    if (now.type !== old.type)
      return Err(
        new SchemaError(
          `${next.table}.${old.name} cannot change type from ${old.type} to ${now.type} without a migration`,
        ),
      );
  }
  return Ok(next.columns.length > previous.columns.length);
}
