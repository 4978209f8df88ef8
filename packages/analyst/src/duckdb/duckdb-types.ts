/**
 * @module duckdb/duckdb-types
 * Iceberg types as DuckDB column types, for the field-id schema `read_parquet` is given.
 */

import type { IcebergType } from "@lakesync/catalogue";
import { Err, Ok, type Result } from "@lakesync/core";
import { AnalystError } from "../errors.js";

const PRIMITIVES: Readonly<Record<string, string>> = {
  boolean: "BOOLEAN",
  int: "INTEGER",
  long: "BIGINT",
  float: "FLOAT",
  double: "DOUBLE",
  date: "DATE",
  time: "TIME",
  timestamp: "TIMESTAMP",
  timestamptz: "TIMESTAMPTZ",
  string: "VARCHAR",
  uuid: "UUID",
  binary: "BLOB",
};

/**
 * The DuckDB type of an Iceberg type. Primitives only (every LakeSync column is one);
 * `Err(AnalystError)` (`INVALID_INPUT`) for a nested type, naming `column`.
 */
export function duckdbTypeOf(type: IcebergType, column: string): Result<string, AnalystError> {
  if (typeof type === "string") {
    const known = PRIMITIVES[type];
    if (known) return Ok(known);
    const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
    if (decimal) return Ok(`DECIMAL(${decimal[1]}, ${decimal[2]})`);
    if (/^fixed\[\d+\]$/.test(type)) return Ok("BLOB");
  }
  return Err(
    new AnalystError(
      "INVALID_INPUT",
      `column "${column}" has the type ${JSON.stringify(type)}, which the analyst does not read`,
    ),
  );
}
