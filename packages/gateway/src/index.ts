/**
 * @module @lakesync/gateway
 * The runtime-neutral LakeSync gateway: {@link SyncGateway} (push, pull, checkpoints, flush,
 * realtime), the flush-target interface that other packages implement (`FlushTarget`), the
 * durable-store contract (`GatewayStore`) and the HTTP routes every host shares
 * ({@link createGatewayApp}). Runtime-specific stores live in the hosts.
 */

export type { FlushBuffer, FlushThresholds } from "./buffer/flush-buffer.js";
export {
  type CheckpointPlan,
  collectCheckpoint,
  DEFAULT_CHECKPOINT_BUDGET,
} from "./checkpoint/build-checkpoint.js";
export type {
  CheckpointSource,
  CheckpointSourceRequest,
  SourcedCheckpoint,
} from "./checkpoint/checkpoint-source.js";
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
export type { Log, LogPage } from "./log/log.js";
export type { LogEntry, RowView } from "./log/log-entry.js";
export {
  DEFAULT_REALTIME_MAX_BYTES,
  RealtimeChange,
  type Subscriber,
} from "./notify/realtime-change.js";
export {
  allowAllWrites,
  type DeltaRefusal,
  type PushAuthoriser,
} from "./push/push-authoriser.js";
export type { PushResult } from "./push/push-pipeline.js";
export type { RowChange } from "./push/row-overlay.js";
export { RulesAuthoriser } from "./push/rules-authoriser.js";
export type { SchemaPolicy, SchemaSet } from "./registry/schema-manager.js";
export type { RowStates, ScannedRow } from "./state/row-states.js";
export {
  chunked,
  decodeDeltaChunk,
  decodeLogBatch,
  type EncodedBatch,
  encodeDeltaChunk,
  encodeLogBatch,
} from "./store/batch-codec.js";
export type {
  GatewayStore,
  IndexedParts,
  LogRewrite,
  StoredGatewayState,
} from "./store/gateway-store.js";
export { MemoryGatewayStore } from "./store/memory-store.js";
export { importReplayed, migrateLegacyLayout } from "./store/sql/legacy-layout.js";
export type { SqlDriver, SqlRow, SqlValue } from "./store/sql/sql-driver.js";
export { SqlGatewayStore, type SqlGatewayStoreOptions } from "./store/sql/sql-gateway-store.js";
