/**
 * @module rest/server-body
 * Reading a request's JSON body for the Iceberg REST server, within a size limit, into a
 * `Result` whose error is a message for a 400 (or 413) answer. Nothing a client sends throws.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { Context } from "hono";

/** Why a body could not be read: the status to answer and a message. */
export interface BodyProblem {
  readonly status: 400 | 413;
  readonly message: string;
}

async function readBytes(c: Context, max: number): Promise<Result<Uint8Array, BodyProblem>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > max)
    return Err({ status: 413, message: `request body of ${declared} bytes exceeds ${max}` });
  const stream = c.req.raw.body;
  if (!stream) return Ok(new Uint8Array());
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      total += step.value.byteLength;
      if (total > max) {
        void reader.cancel();
        return Err({ status: 413, message: `request body exceeds ${max} bytes` });
      }
      parts.push(step.value);
    }
  } catch {
    return Err({ status: 400, message: "the request body could not be read" });
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return Ok(bytes);
}

/**
 * The request body parsed as JSON: `Err` for a missing, oversized, non-UTF-8 or malformed body,
 * with a message saying which.
 */
export async function readJsonBody(c: Context, max: number): Promise<Result<unknown, BodyProblem>> {
  const bytes = await readBytes(c, max);
  if (!bytes.ok) return bytes;
  if (bytes.value.byteLength === 0)
    return Err({ status: 400, message: "a JSON request body is required" });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.value);
  } catch {
    return Err({ status: 400, message: "the request body is not UTF-8" });
  }
  try {
    return Ok(JSON.parse(text));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return Err({ status: 400, message: `the request body is not valid JSON: ${detail}` });
  }
}
