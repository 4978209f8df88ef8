/**
 * @module duckdb/row-table
 * Rows computed in JavaScript (a union read, a time-travel read) as a DuckDB table, typed from
 * the LakeSync `TableSchema` exactly as the lake types them: `row_id` first, strings and JSON
 * (as its text) as `VARCHAR`, numbers as `DOUBLE`, booleans as `BOOLEAN`.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { type ColumnType, Err, Ok, type Result, type Row, type TableSchema } from "@lakesync/core";
import { AnalystError, messageOf } from "../errors.js";
import { dropOtherKind } from "./replace-relation.js";
import { quoteIdent } from "./sql-text.js";

const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  string: "VARCHAR",
  number: "DOUBLE",
  boolean: "BOOLEAN",
  json: "VARCHAR",
  null: "VARCHAR",
};

/**
 * Replaces table `name` with `rows` (row id → row) typed by `schema`. `Err(AnalystError)`
 * (`QUERY_FAILED`) when DuckDB refuses the table or a value.
 */
export async function writeRowTable(
  connection: DuckDBConnection,
  name: string,
  schema: TableSchema,
  rows: Iterable<readonly [string, Row]>,
): Promise<Result<void, AnalystError>> {
  const columns = schema.columns.filter((c) => c.name !== "row_id");
  const ddl = [
    `"row_id" VARCHAR`,
    ...columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPES[c.type]}`),
  ];
  try {
    await dropOtherKind(connection, name, "TABLE");
    await connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${ddl.join(", ")})`);
    const appender = await connection.createAppender(name);
    for (const [rowId, row] of rows) {
      appender.appendVarchar(rowId);
      for (const column of columns) {
        const value = Object.hasOwn(row, column.name) ? row[column.name] : null;
        if (value === null || value === undefined || column.type === "null") appender.appendNull();
        else if (column.type === "number" && typeof value === "number")
          appender.appendDouble(value);
        else if (column.type === "boolean" && typeof value === "boolean")
          appender.appendBoolean(value);
        else if (column.type === "string" && typeof value === "string")
          appender.appendVarchar(value);
        else appender.appendVarchar(JSON.stringify(value));
      }
      appender.endRow();
    }
    appender.closeSync();
    return Ok(undefined);
  } catch (cause) {
    return Err(
      new AnalystError(
        "QUERY_FAILED",
        `cannot load the rows of "${name}" into DuckDB: ${messageOf(cause)}`,
        {
          cause,
        },
      ),
    );
  }
}
