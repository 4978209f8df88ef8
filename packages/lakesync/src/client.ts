/**
 * @module lakesync/client
 * `@lakesync/client` re-exported: local SQLite, the durable outbox, sync coordination and the
 * transports.
 */
export * from "@lakesync/client";
