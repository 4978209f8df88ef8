/**
 * @module http/request-body
 * Reading request bodies with a size limit, and JSON bodies strictly.
 */
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Context } from "hono";

/** Reads the body, refusing more than `max` bytes (declared or streamed) with `PAYLOAD_TOO_LARGE`. */
export async function readBody(
  c: Context,
  max: number,
): Promise<Result<Uint8Array, LakeSyncError>> {
  const length = c.req.header("content-length");
  const declared = Number(length ?? "0");
  if (declared > max)
    return Err(
      new LakeSyncError("PAYLOAD_TOO_LARGE", `request body of ${declared} bytes exceeds ${max}`),
    );
  // A declared length frames the body (the HTTP parser reads no more), so it is read whole: on
  // Node that skips building a web stream over the request, a good part of a small push's cost.
  if (length !== undefined && /^\d+$/.test(length)) return readDeclared(c, max);
  const stream = c.req.raw.body;
  if (!stream) return Ok(new Uint8Array());
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (cause) {
      return Err(
        new LakeSyncError("INVALID_INPUT", "the request body could not be read", { cause }),
      );
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > max) {
      void reader.cancel();
      return Err(new LakeSyncError("PAYLOAD_TOO_LARGE", `request body exceeds ${max} bytes`));
    }
    parts.push(step.value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return Ok(out);
}

/** Reads a body whose length was declared (and found within `max`) in one piece. */
async function readDeclared(c: Context, max: number): Promise<Result<Uint8Array, LakeSyncError>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await c.req.raw.arrayBuffer());
  } catch (cause) {
    return Err(new LakeSyncError("INVALID_INPUT", "the request body could not be read", { cause }));
  }
  if (bytes.byteLength > max)
    return Err(new LakeSyncError("PAYLOAD_TOO_LARGE", `request body exceeds ${max} bytes`));
  return Ok(bytes);
}

/** Reads a JSON body (strict UTF-8); `INVALID_INPUT` when it does not parse. */
export async function readJson(c: Context, max: number): Promise<Result<unknown, LakeSyncError>> {
  const body = await readBody(c, max);
  if (!body.ok) return body;
  try {
    return Ok(
      JSON.parse(
        new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body.value),
      ) as unknown,
    );
  } catch (cause) {
    return Err(new LakeSyncError("INVALID_INPUT", "the body is not valid JSON", { cause }));
  }
}
