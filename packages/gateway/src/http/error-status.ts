/**
 * @module http/error-status
 * The HTTP status of each error code, and the JSON error body every route answers with.
 */
import type { LakeSyncError } from "@lakesync/core";

const STATUS: Readonly<Record<string, number>> = {
  UNAUTHORISED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  GATEWAY_NOT_FOUND: 404,
  INVALID_INPUT: 400,
  WIRE_ERROR: 400,
  CLOCK_DRIFT: 409,
  CURSOR_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_DELTAS: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SCHEMA_MISMATCH: 422,
  FLUSH_FAILED: 502,
  STORE_UNAVAILABLE: 503,
  GATEWAY_CLOSED: 503,
};

/**
 * The status for an error: 4xx when the caller must change the request, 5xx when the gateway
 * or its storage failed and a retry may succeed. Unknown codes of validation errors (which all
 * extend `ValidationError`, like the wire decoder's) are 400; anything else is 500.
 */
export function statusOf(error: LakeSyncError): number {
  const known = STATUS[error.code];
  if (known !== undefined) return known;
  if (error.name === "WireError" || error.name === "ValidationError") return 400;
  return 500;
}

/** The JSON body of an error response. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
}
