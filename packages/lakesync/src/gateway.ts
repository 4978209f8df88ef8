/**
 * @module lakesync/gateway
 * `@lakesync/gateway` re-exported: the runtime-neutral sync gateway (push, pull, checkpoints,
 * flush) and the HTTP routes every host shares.
 */
export * from "@lakesync/gateway";
