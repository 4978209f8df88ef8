/**
 * @module @lakesync/gateway
 * The runtime-neutral LakeSync gateway: {@link SyncGateway} (push, pull, checkpoints, flush,
 * realtime), its buffer, log and schema manager, the durable-store contract, and the HTTP
 * routes every host shares ({@link createGatewayApp}). Node-only pieces (the write-ahead-log
 * store) live in `@lakesync/gateway/node`.
 */
export * from "./buffer/delta-buffer.js";
export * from "./checkpoint/build-checkpoint.js";
export * from "./checkpoint/row-state-deltas.js";
export * from "./flush/flush-path.js";
export * from "./flush/flush-target.js";
export * from "./flush/json-envelope.js";
export * from "./flush/write-flush.js";
export * from "./gateway/options.js";
export * from "./gateway/sync-gateway.js";
export * from "./http/app.js";
export * from "./http/auth.js";
export * from "./http/checkpoint-frames.js";
export * from "./http/error-status.js";
export * from "./log/change-log.js";
export * from "./log/log-entry.js";
export * from "./schema/schema-manager.js";
export * from "./state/row-index.js";
export * from "./store/gateway-store.js";
export * from "./store/memory-store.js";
