/**
 * @module lakesync/server
 * `@lakesync/server` re-exported: the gateway self-hosted on Node (configuration, the HTTP
 * server, the gateways' SQLite stores, flush targets, lake maintenance), what `lakesync serve` runs.
 */
export * from "@lakesync/server";
