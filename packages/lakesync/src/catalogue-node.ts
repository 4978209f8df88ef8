/**
 * @module lakesync/catalogue/node
 * `@lakesync/catalogue/node` re-exported: the SQL catalogue on Node drivers (SQLite, PostgreSQL),
 * plus everything `lakesync/catalogue` exports.
 */
export * from "@lakesync/catalogue/node";
