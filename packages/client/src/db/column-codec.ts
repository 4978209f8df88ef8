/**
 * @module db/column-codec
 * Converting column values between LakeSync's JSON values and SQLite storage classes.
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
import type { SqlValue } from "./sql-engine.js";
import { quoteIdentifier } from "./sql-identifier.js";

/** The SQLite column type declared for each LakeSync column type. */
export const SQLITE_TYPES: Readonly<Record<ColumnType, string>> = {
  string: "TEXT",
  number: "REAL",
  boolean: "INTEGER",
  json: "TEXT",
  null: "",
};

function mismatch(type: ColumnType, value: ColumnValue, column: string) {
  return Err(
    new SchemaError(
      `column "${column}" is ${type}, got ${Array.isArray(value) ? "array" : typeof value}`,
    ),
  );
}

/** Encodes a value for a column of `type`; `Err(SchemaError)` when it does not fit the type. */
export function toSqlite(
  type: ColumnType,
  value: ColumnValue,
  column: string,
): Result<SqlValue, SchemaError> {
  if (value === null) return Ok(null);
  switch (type) {
    case "string":
      return typeof value === "string" ? Ok(value) : mismatch(type, value, column);
    case "number":
      return typeof value === "number" ? Ok(value) : mismatch(type, value, column);
    case "boolean":
      return typeof value === "boolean" ? Ok(value ? 1 : 0) : mismatch(type, value, column);
    case "json":
      return Ok(JSON.stringify(value));
    case "null":
      return mismatch(type, value, column);
  }
}

/** Decodes a stored SQLite value back into the column's LakeSync value. */
export function fromSqlite(type: ColumnType, value: SqlValue): ColumnValue {
  if (value === null) return null;
  if (value instanceof Uint8Array) return null;
  switch (type) {
    case "boolean":
      return value === 1 || value === "1";
    case "json":
      try {
        return JSON.parse(String(value)) as ColumnValue;
      } catch {
        return String(value);
      }
    case "number":
      return typeof value === "number" ? value : Number(value);
    default:
      return value;
  }
}

/** `CREATE TABLE IF NOT EXISTS` for a schema: an `id` text primary key plus its columns. */
export function createTableSql(schema: TableSchema): string {
  const columns = schema.columns
    .filter((c) => c.name !== "id")
    .map((c) => `${quoteIdentifier(c.name)} ${SQLITE_TYPES[c.type]}`.trimEnd());
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(schema.table)} (${["id TEXT PRIMARY KEY NOT NULL", ...columns].join(", ")})`;
}
