/**
 * @module @lakesync/adapter/node
 * The Node adapters: {@link FileSystemAdapter}, {@link S3Adapter}, {@link PostgresAdapter},
 * {@link MySQLAdapter}; plus everything the main entry exports.
 */
export * from "./index.js";
export * from "./node/fs-adapter.js";
export * from "./node/mysql-adapter.js";
export * from "./node/postgres-adapter.js";
export * from "./node/s3-adapter.js";
