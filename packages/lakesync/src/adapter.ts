/**
 * @module lakesync/adapter
 * `@lakesync/adapter` re-exported: the runtime-neutral storage adapters (memory and R2 lakes, SQL
 * dialects, composition, migration).
 */
export * from "@lakesync/adapter";
