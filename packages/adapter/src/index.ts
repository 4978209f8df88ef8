/**
 * @module @lakesync/adapter
 * Storage adapters: object stores (S3, R2, file system, memory) and SQL databases.
 * Not built yet: this package exports nothing until its issue lands.
 */
export {};
