/**
 * @module lakesync/adapter/node
 * `@lakesync/adapter/node` re-exported: the file system, S3, PostgreSQL and MySQL adapters, plus
 * everything `lakesync/adapter` exports.
 */
export * from "@lakesync/adapter/node";
