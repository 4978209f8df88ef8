/**
 * @module rest/server-errors
 * How the Iceberg REST server answers a failure: an `IcebergErrorResponse`
 * (`{error: {message, type, code}}`) whose status and exception `type` are the ones Iceberg
 * clients (Java, PyIceberg, LakeSync's own) switch on.
 */
import type { LakeSyncError } from "@lakesync/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { icebergErrorBody } from "./wire.js";

/** Status and exception type of each error code a `Catalogue` returns. */
const BY_CODE: Readonly<Record<string, readonly [number, string]>> = {
  NO_SUCH_NAMESPACE: [404, "NoSuchNamespaceException"],
  NO_SUCH_TABLE: [404, "NoSuchTableException"],
  ALREADY_EXISTS: [409, "AlreadyExistsException"],
  NAMESPACE_NOT_EMPTY: [409, "NamespaceNotEmptyException"],
  COMMIT_CONFLICT: [409, "CommitFailedException"],
  COMMIT_STATE_UNKNOWN: [500, "CommitStateUnknownException"],
  CATALOGUE_UNAVAILABLE: [503, "ServiceUnavailableException"],
  INVALID_INPUT: [400, "BadRequestException"],
  UNAUTHORISED: [401, "NotAuthorizedException"],
  FORBIDDEN: [403, "ForbiddenException"],
};

/** Answers `status` with an `IcebergErrorResponse` of the given exception `type`. */
export function icebergError(c: Context, status: number, type: string, message: string): Response {
  const response = c.json(icebergErrorBody(status, type, message), status as ContentfulStatusCode);
  if (status === 401) response.headers.set("www-authenticate", 'Bearer realm="iceberg"');
  return response;
}

/** Answers a catalogue error with its status and type; unknown codes are a 500 `InternalServerError`. */
export function respondWithError(c: Context, error: LakeSyncError): Response {
  const [status, type] = BY_CODE[error.code] ?? [500, "InternalServerError"];
  return icebergError(c, status, type, error.message);
}

/** A 400 `BadRequestException` for a request the server cannot read. */
export function badRequest(c: Context, message: string): Response {
  return icebergError(c, 400, "BadRequestException", message);
}
