/**
 * @module @lakesync/proto
 * The LakeSync binary wire protocol: the `lakesync.v1` protobuf schema and fast, strict codecs
 * between its messages and the types of @lakesync/core. The protobuf-es code generated from
 * the schema is available from `@lakesync/proto/gen`.
 *
 * @example
 * import { decodeSyncPush, encodeSyncPush, PROTO_CONTENT_TYPE } from "@lakesync/proto";
 * const bytes = encodeSyncPush({ clientId: "phone", deltas, lastSeenHlc: HLC_ZERO });
 * if (bytes.ok) await fetch(url, { method: "POST", body: bytes.value,
 *   headers: { "content-type": PROTO_CONTENT_TYPE } });
 * const push = decodeSyncPush(body); // Result<SyncPush, WireError>, never throws
 */
export * from "./codec.js";
export * from "./content-type.js";
export * from "./errors.js";
export * from "./types.js";
