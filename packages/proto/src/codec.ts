/**
 * @module codec
 * Every encoder and decoder of the wire protocol, in one import. Encoders take the messages of
 * `types.ts` and return `Result<Uint8Array, WireError>`; decoders take bytes and return
 * `Result<message, WireError>` and never throw, whatever the bytes.
 */
export { decodeCheckpointChunk, encodeCheckpointChunk } from "./codec/checkpoint.js";
export { decodeErrorResponse, encodeErrorResponse } from "./codec/error-response.js";
export { decodeSyncNotification, encodeSyncNotification } from "./codec/sync-notification.js";
export { decodeSyncPull, encodeSyncPull } from "./codec/sync-pull.js";
export { decodeSyncPush, encodeSyncPush } from "./codec/sync-push.js";
export { decodeSyncResponse, encodeSyncResponse } from "./codec/sync-response.js";
export {
  type FromRowDeltaOptions,
  fromRowDelta,
  type ToRowDeltaOptions,
  toRowDelta,
} from "./mapping/row-delta-message.js";
