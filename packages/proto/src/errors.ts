/**
 * @module errors
 * The error every codec of this package returns: bytes or values that are not a valid message.
 */
import { type LakeSyncErrorOptions, ValidationError } from "@lakesync/core";

/**
 * Why a message could not be decoded or encoded. Stable strings a caller can switch on:
 * - `TRUNCATED`: the bytes end inside a field.
 * - `MALFORMED`: not protobuf (bad tag, wire type, varint or length).
 * - `INVALID_UTF8`: a string field or column value is not valid UTF-8.
 * - `INVALID_JSON`: a column value is not one JSON value, or not a storable one.
 * - `INVALID_ENUM`: an unknown or unspecified `DeltaOp`.
 * - `INVALID_DELTA_ID`: a delta id that is not 32 bytes (64 lower-case hex characters).
 * - `INVALID_FIELD`: a field breaks the protocol's rules (empty id, columns on a DELETE, …).
 */
export type WireErrorReason =
  | "TRUNCATED"
  | "MALFORMED"
  | "INVALID_UTF8"
  | "INVALID_JSON"
  | "INVALID_ENUM"
  | "INVALID_DELTA_ID"
  | "INVALID_FIELD";

/**
 * Bytes that are not a valid LakeSync message, or a value that cannot become one. A
 * `ValidationError` (code `INVALID_INPUT`), so hosts answer it with HTTP 400; `reason` says what
 * was wrong and `path` where (for example `SyncPush.deltas[3].columns[0].value`).
 */
export class WireError extends ValidationError {
  /** What was wrong; see {@link WireErrorReason}. */
  readonly reason: WireErrorReason;
  /** Where in the message the problem is. */
  readonly path: string;

  constructor(
    reason: WireErrorReason,
    path: string,
    detail: string,
    options: LakeSyncErrorOptions = {},
  ) {
    super(`${path}: ${detail} (${reason})`, options);
    this.name = "WireError";
    this.reason = reason;
    this.path = path;
  }
}

/** True when `value` is a {@link WireError} with the given reason (works across realms). */
export function isWireError(value: unknown, reason?: WireErrorReason): value is WireError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown; reason?: unknown };
  return (
    candidate.name === "WireError" &&
    candidate.code === "INVALID_INPUT" &&
    typeof candidate.reason === "string" &&
    (reason === undefined || candidate.reason === reason)
  );
}
