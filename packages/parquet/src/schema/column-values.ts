/**
 * @module schema/column-values
 * Explaining values that do not fit their column, and decoding stored values back.
 */
import {
  type ColumnType,
  type ColumnValue,
  Err,
  Ok,
  type Result,
  SchemaError,
  type TableSchema,
} from "@lakesync/core";

/** The error for `value` not fitting the declared type of `column` in `schema`. */
export function misfit(schema: TableSchema, column: string, value: ColumnValue): SchemaError {
  const type = schema.columns.find((c) => c.name === column)?.type ?? "unknown";
  const held = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  return new SchemaError(`${schema.table}.${column} is declared ${type} but holds ${held}`);
}

/**
 * Decodes a stored value for a column of `type`: JSON text is parsed, 64-bit integers become
 * numbers. `Err(SchemaError)` when the stored value does not fit the type (a file with another
 * schema) or the JSON text does not parse.
 */
export function loadValue(
  type: ColumnType,
  stored: unknown,
  where: string,
): Result<ColumnValue, SchemaError> {
  if (stored === null || stored === undefined) return Ok(null);
  switch (type) {
    case "json":
      if (typeof stored !== "string") break;
      try {
        return Ok(JSON.parse(stored) as ColumnValue);
      } catch (cause) {
        return Err(new SchemaError(`${where} holds invalid JSON`, { cause }));
      }
    case "number":
      if (typeof stored === "number") return Ok(stored);
      if (typeof stored === "bigint") return Ok(Number(stored));
      break;
    case "string":
    case "boolean":
      if (typeof stored === type) return Ok(stored as ColumnValue);
      break;
  }
  const held = typeof stored === "object" ? "a nested value" : typeof stored;
  return Err(new SchemaError(`${where} is declared ${type} but the file holds ${held}`));
}
