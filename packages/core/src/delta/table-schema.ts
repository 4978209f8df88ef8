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

function nameProblem(name: unknown, what: string): string | null {
  if (typeof name !== "string" || name.length === 0) return `${what} must be a non-empty string`;
  if (name.length > MAX_NAME) return `${what} is longer than ${MAX_NAME} characters`;
  if (name.includes("\u0000")) return `${what} contains a NUL character`;
  return null;
}

/**
 * Checks that an untrusted document is a {@link TableSchema}: a non-empty table name, and
 * columns with non-empty, unique (case-insensitively) names of a known type. Names may hold any
 * other character; every backend quotes them. Returns a copy holding only the known fields.
 */
export function validateTableSchema(document: unknown): Result<TableSchema, SchemaError> {
  if (typeof document !== "object" || document === null || Array.isArray(document))
    return Err(new SchemaError("a table schema must be an object"));
  const { table, columns } = document as { table?: unknown; columns?: unknown };
  const tableProblem = nameProblem(table, "schema.table");
  if (tableProblem !== null) return Err(new SchemaError(tableProblem));
  const name = table as string;
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
