/**
 * @module codec/error-response
 * `ErrorResponse` (gateway to client): why a request failed, as a stable code and a message.
 */
import type { Result } from "@lakesync/core";
import type { WireError } from "../errors.js";
import type { ErrorResponse } from "../types.js";
import { fail } from "../wire/failure.js";
import { Tags } from "../wire/tags.js";
import { utf8Length } from "../wire/utf8.js";
import { delimitedSize } from "../wire/writer.js";
import { decodeMessage, encodeMessage } from "./boundary.js";

const E = Tags.ErrorResponse;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function checkCode(code: unknown): string {
  if (typeof code !== "string" || !CODE.test(code)) {
    return fail(
      "INVALID_FIELD",
      "code",
      "must be 1 to 64 of A-Z, 0-9 and _, starting with a letter",
    );
  }
  return code;
}

/**
 * Encodes an error response. Returns `Err(WireError)` unless `code` looks like a LakeSync error
 * code (`CLOCK_DRIFT`, `INVALID_INPUT`, …) and `message` is a well-formed string.
 */
export function encodeErrorResponse(response: ErrorResponse): Result<Uint8Array, WireError> {
  return encodeMessage(
    "ErrorResponse",
    response,
    (plan) => {
      const code = checkCode(response.code);
      const { message } = response;
      const messageLength = typeof message === "string" ? utf8Length(message) : -1;
      if (messageLength < 0) fail("INVALID_FIELD", "message", "not a well-formed string");
      plan.lengths.push(code.length, messageLength);
      return delimitedSize(code.length) + (messageLength === 0 ? 0 : delimitedSize(messageLength));
    },
    (writer, plan) => {
      writer.varint(E.code);
      writer.string(response.code, plan.length());
      const messageLength = plan.length();
      if (messageLength === 0) return;
      writer.varint(E.message);
      writer.string(response.message, messageLength);
    },
  );
}

/** Decodes an error response; never throws (see `decodeSyncPush` for the errors). */
export function decodeErrorResponse(bytes: Uint8Array): Result<ErrorResponse, WireError> {
  return decodeMessage("ErrorResponse", bytes, (reader, end) => {
    let code = "";
    let message = "";
    while (reader.pos < end) {
      const tag = reader.tag();
      if (tag === E.code) code = reader.string("code");
      else if (tag === E.message) message = reader.string("message");
      else reader.skipUnknown(tag, 2);
    }
    return { code: checkCode(code), message };
  });
}
