/**
 * @module http/responses
 * The response shapes of the gateway's routes: JSON errors, protobuf bodies, bigint-safe JSON.
 */
import { LakeSyncError } from "@lakesync/core";
import { PROTO_CONTENT_TYPE } from "@lakesync/proto";
import type { Context } from "hono";
import { type ErrorBody, statusOf } from "./error-status.js";

/** A JSON `{code, message}` error with the error's status (or `status`). */
export function errorResponse(
  c: Context,
  error: LakeSyncError,
  status = statusOf(error),
): Response {
  const body: ErrorBody = { code: error.code, message: error.message };
  return c.json(body, status as 400);
}

/** A JSON error built from a code and a message. */
export function fail(c: Context, code: string, message: string, status: number): Response {
  return errorResponse(c, new LakeSyncError(code, message), status);
}

/** A protobuf body. */
export function protoResponse(c: Context, bytes: Uint8Array): Response {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": PROTO_CONTENT_TYPE });
}

/** JSON with bigints written as decimal strings. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}
