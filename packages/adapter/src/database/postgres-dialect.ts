/**
 * @module database/postgres-dialect
 * PostgreSQL's SQL for the row adapter.
 */
import type { ColumnType, ColumnValue } from "@lakesync/core";
import { DELETED, DELETED_HLC, HLCS, ID, type SqlDialect } from "./sql-dialect.js";

const TYPES: Record<ColumnType, string> = {
  string: "TEXT",
  number: "DOUBLE PRECISION",
  boolean: "BOOLEAN",
  json: "JSONB",
  null: "TEXT",
};

/** The dialect for a PostgreSQL schema (`public` unless told otherwise). */
export function postgresDialect(schema: string): SqlDialect {
  const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;
  const table = (name: string) => `${quote(schema)}.${quote(name)}`;
  return {
    name: "PostgreSQL",
    maxIdentifier: 63,
    quote,
    table,
    placeholder: (n) => `$${n}`,
    createTable: (name, columns) =>
      `CREATE TABLE IF NOT EXISTS ${table(name)} (${quote(ID)} TEXT PRIMARY KEY, ${quote(HLCS)} JSONB NOT NULL DEFAULT '{}', ${quote(DELETED_HLC)} TEXT, ${quote(DELETED)} BOOLEAN NOT NULL DEFAULT FALSE${columns
        .map((c) => `, ${quote(c.name)} ${TYPES[c.type]}`)
        .join("")})`,
    addColumn: (name, column) =>
      `ALTER TABLE ${table(name)} ADD COLUMN IF NOT EXISTS ${quote(column.name)} ${TYPES[column.type]}`,
    columnsQuery: (name) => ({
      sql: "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
      params: [schema, name],
      key: "column_name",
    }),
    upsert(name, columns, rows) {
      const values: string[] = [];
      let n = 1;
      for (let r = 0; r < rows; r++) values.push(`(${columns.map(() => `$${n++}`).join(", ")})`);
      const updates = columns
        .filter((c) => c !== ID)
        .map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`)
        .join(", ");
      return `INSERT INTO ${table(name)} (${columns.map(quote).join(", ")}) VALUES ${values.join(", ")} ON CONFLICT (${quote(ID)}) DO UPDATE SET ${updates}`;
    },
    encode: (type, value) =>
      value === null ? null : type === "json" ? JSON.stringify(value) : value,
    decode(type, raw): ColumnValue {
      if (raw === null || raw === undefined) return null;
      if (type === "number") return typeof raw === "number" ? raw : Number(raw);
      return raw as ColumnValue;
    },
  };
}
