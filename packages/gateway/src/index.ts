/**
 * @module @lakesync/gateway
 * Runtime-neutral sync gateway: push, pull, buffer, flush and the shared HTTP routes.
 * Not built yet: this package exports nothing until its issue lands.
 */
export {};
