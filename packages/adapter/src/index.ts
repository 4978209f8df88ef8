/**
 * @module @lakesync/adapter
 * Storage adapters. This entry is runtime-neutral (browsers, Workers, Node): the interfaces,
 * {@link MemoryAdapter}, {@link CompositeAdapter} and {@link migrateAdapter}. The Node adapters
 * (file system, S3, PostgreSQL, MySQL) are in `@lakesync/adapter/node`.
 */
export * from "./compose/composite-adapter.js";
export * from "./compose/migrate.js";
export * from "./database/database-adapter.js";
export * from "./lake/lake-adapter.js";
export * from "./lake/memory-adapter.js";
export * from "./lake/multipart.js";
export * from "./lake/r2-adapter.js";
