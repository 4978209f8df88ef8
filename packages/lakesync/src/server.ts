/**
 * @module lakesync/server
 * `@lakesync/server` re-exported: the gateway self-hosted on Node (configuration, the HTTP
 * server, the write-ahead log, flush targets, lake maintenance), what `lakesync serve` runs.
 */
export * from "@lakesync/server";
