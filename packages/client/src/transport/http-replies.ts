/**
 * @module transport/http-replies
 * Reading a gateway's HTTP answers: a SyncResponse body, or an error status with its JSON
 * message, and whether a call that failed so may succeed when tried again.
 */
import { Err, type Result } from "@lakesync/core";
import { decodeSyncResponse, type SyncResponse } from "@lakesync/proto";
import { TransportError } from "./sync-transport.js";

/** Decodes a SyncResponse body, or says the gateway answered garbage. */
export function decodeReply(bytes: Uint8Array): Result<SyncResponse, TransportError> {
  const decoded = decodeSyncResponse(bytes);
  if (decoded.ok) return decoded;
  return Err(
    new TransportError("the gateway's reply is not a valid SyncResponse", {
      cause: decoded.error,
      code: "BAD_RESPONSE",
    }),
  );
}

/** The error of a gateway answer with status `status` (its JSON `code` and `message` when it has them). */
export function httpError(status: number, bytes: Uint8Array): TransportError {
  let code = "HTTP_ERROR";
  let message = `HTTP ${status}`;
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes)) as {
      code?: unknown;
      message?: unknown;
      error?: { code?: unknown; message?: unknown };
    };
    const detail = body.error ?? body;
    if (typeof detail.code === "string") code = detail.code;
    if (typeof detail.message === "string") message = `HTTP ${status}: ${detail.message}`;
  } catch {
    // Not JSON: keep the status line.
  }
  // 4xx other than timeouts and throttling will fail again unchanged; 5xx may recover.
  const retryable = status >= 500 || status === 408 || status === 429 || status === 401;
  return new TransportError(message, { status, code, retryable });
}
