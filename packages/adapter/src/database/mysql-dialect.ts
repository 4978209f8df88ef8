/**
 * @module database/mysql-dialect
 * MySQL's and MariaDB's SQL for the row adapter.
 */
import type { ColumnType, ColumnValue } from "@lakesync/core";
import { DELETED, DELETED_HLC, HLCS, ID, type SqlDialect } from "./sql-dialect.js";

/** JSON is kept as text so MySQL (native JSON) and MariaDB (an alias of LONGTEXT) agree. */
const TYPES: Record<ColumnType, string> = {
  string: "LONGTEXT",
  number: "DOUBLE",
  boolean: "BOOLEAN",
  json: "LONGTEXT",
  null: "LONGTEXT",
};

/** The dialect for a MySQL/MariaDB database. */
export function mysqlDialect(database: string): SqlDialect {
  const quote = (id: string) => `\`${id.replaceAll("`", "``")}\``;
  const table = (name: string) => `${quote(database)}.${quote(name)}`;
  return {
    name: "MySQL",
    maxIdentifier: 64,
    quote,
    table,
    placeholder: () => "?",
    createTable: (name, columns) =>
      `CREATE TABLE IF NOT EXISTS ${table(name)} (${quote(ID)} VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PRIMARY KEY, ${quote(HLCS)} LONGTEXT NOT NULL, ${quote(DELETED_HLC)} VARCHAR(20), ${quote(DELETED)} BOOLEAN NOT NULL DEFAULT FALSE${columns
        .map((c) => `, ${quote(c.name)} ${TYPES[c.type]}`)
        .join("")}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    addColumn: (name, column) =>
      `ALTER TABLE ${table(name)} ADD COLUMN ${quote(column.name)} ${TYPES[column.type]}`,
    columnsQuery: (name) => ({
      sql: "SELECT COLUMN_NAME AS column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
      params: [database, name],
      key: "column_name",
    }),
    upsert(name, columns, rows) {
      const row = `(${columns.map(() => "?").join(", ")})`;
      const updates = columns
        .filter((c) => c !== ID)
        .map((c) => `${quote(c)} = VALUES(${quote(c)})`)
        .join(", ");
      return `INSERT INTO ${table(name)} (${columns.map(quote).join(", ")}) VALUES ${Array(rows).fill(row).join(", ")} ON DUPLICATE KEY UPDATE ${updates}`;
    },
    encode(type, value) {
      if (value === null) return null;
      if (type === "json") return JSON.stringify(value);
      if (type === "boolean") return value ? 1 : 0;
      return value;
    },
    decode(type, raw): ColumnValue {
      if (raw === null || raw === undefined) return null;
      if (type === "boolean") return raw === true || raw === 1 || raw === "1";
      if (type === "number") return typeof raw === "number" ? raw : Number(raw);
      if (type === "json") {
        if (typeof raw !== "string") return raw as ColumnValue;
        try {
          return JSON.parse(raw) as ColumnValue;
        } catch {
          return raw;
        }
      }
      if (raw instanceof Uint8Array) return new TextDecoder().decode(raw);
      return raw as ColumnValue;
    },
  };
}
