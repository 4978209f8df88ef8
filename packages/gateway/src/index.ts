/**
 * @module @lakesync/gateway
 * The runtime-neutral LakeSync gateway: {@link SyncGateway} (push, pull, checkpoints, flush,
 * realtime), the flush-target interface that other packages implement (`FlushTarget`), the
 * durable-store contract (`GatewayStore`) and the HTTP routes every host shares
 * ({@link createGatewayApp}). Runtime-specific stores live in the hosts.
 */

export type { FlushThresholds } from "./buffer/delta-buffer.js";
export { DEFAULT_CHECKPOINT_BUDGET } from "./checkpoint/build-checkpoint.js";
export { describeFlushFailure } from "./flush/flush-failure.js";
export { flushPath } from "./flush/flush-path.js";
export type {
  FlushBatch,
  FlushTarget,
  FlushWritten,
  LakeWriter,
  RowWriter,
} from "./flush/flush-target.js";
export type { FlushReport } from "./flush/flusher.js";
export type { EnvelopeDelta, FlushEnvelope } from "./flush/json-envelope.js";
export { compositeTarget, type TargetRouter } from "./flush/targets/composite-target.js";
export { databaseTarget } from "./flush/targets/database-target.js";
export {
  type FlushFormat,
  type LakeFileOptions,
  lakeFileTarget,
} from "./flush/targets/lake-file-target.js";
export { type FlushTargetSpec, toFlushTarget } from "./flush/targets/target-spec.js";
export type { GatewayStats, PushAnswer } from "./gateway/gateway-types.js";
export type { SyncGatewayOptions } from "./gateway/options.js";
export { SyncGateway } from "./gateway/sync-gateway.js";
export { createGatewayApp, type GatewayAppOptions } from "./http/app.js";
export {
  AuthError,
  type AuthOptions,
  createTokenVerifier,
  type Principal,
  type TokenVerifier,
} from "./http/auth.js";
export { encodeCheckpointFrames } from "./http/checkpoint-frames.js";
export { type ErrorBody, statusOf } from "./http/error-status.js";
export { validateGatewayId } from "./http/gateway-id.js";
export type { LogEntry, RowView } from "./log/log-entry.js";
export {
  allowAllWrites,
  type DeltaRefusal,
  type PushAuthoriser,
} from "./push/push-authoriser.js";
export type { PushResult } from "./push/push-pipeline.js";
export { RulesAuthoriser } from "./push/rules-authoriser.js";
export type { SchemaPolicy, SchemaSet } from "./registry/schema-manager.js";
export {
  chunked,
  decodeDeltaChunk,
  decodeLogBatch,
  type EncodedBatch,
  encodeDeltaChunk,
  encodeLogBatch,
} from "./store/batch-codec.js";
export type { GatewayStore, LogRewrite, StoredGatewayState } from "./store/gateway-store.js";
export { MemoryGatewayStore } from "./store/memory-store.js";
