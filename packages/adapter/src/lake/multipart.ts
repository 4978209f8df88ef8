/**
 * @module lake/multipart
 * {@link ObjectUpload}s over a backend's multipart API (S3, R2) or over a single put. Bytes are
 * cut into parts of exactly `partBytes` (R2 wants every part but the last of one size; S3 wants
 * them at least 5 MiB); the upload is created with the first full part, so an object smaller
 * than a part is one plain put and never leaves an unfinished upload behind.
 */
import { AdapterError, Err, Ok, type Result } from "@lakesync/core";
import type { ObjectUpload } from "./lake-adapter.js";

/** The smallest part S3 accepts (every part but the last): 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** The part size the adapters use by default: 8 MiB. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

/** One multipart upload in a backend: the calls {@link multipartUpload} makes. */
export interface MultipartBackend<Part> {
  /** Creates the upload (called once, before the first part). */
  create(): Promise<void>;
  uploadPart(partNumber: number, data: Uint8Array): Promise<Part>;
  complete(parts: readonly Part[]): Promise<void>;
  abort(): Promise<void>;
  /** Stores a whole object that is smaller than one part in one request. */
  putWhole(data: Uint8Array): Promise<void>;
}

/** Takes exactly `n` bytes (n <= total) off the front of `chunks`. */
function take(chunks: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let at = 0;
  while (at < n) {
    const head = chunks[0] as Uint8Array;
    const used = Math.min(head.length, n - at);
    out.set(head.subarray(0, used), at);
    at += used;
    if (used === head.length) chunks.shift();
    else chunks[0] = head.subarray(used);
  }
  return out;
}

/**
 * An {@link ObjectUpload} through `backend` in parts of `partBytes`; `failure` turns a thrown
 * error into the adapter's error. A failed call aborts the upload.
 */
export function multipartUpload<Part>(
  backend: MultipartBackend<Part>,
  partBytes: number,
  failure: (action: string, cause: unknown) => AdapterError,
): ObjectUpload {
  const pending: Uint8Array[] = [];
  const parts: Part[] = [];
  let pendingBytes = 0;
  let created = false;
  let over = false;
  const closed = () => Err(new AdapterError("the upload is over", { code: "UPLOAD_CLOSED" }));
  const fail = async (action: string, cause: unknown) => {
    over = true;
    pending.length = 0;
    if (created) await backend.abort().catch(() => undefined);
    return Err(failure(action, cause));
  };
  const send = async (data: Uint8Array) => {
    if (!created) {
      await backend.create();
      created = true;
    }
    parts.push(await backend.uploadPart(parts.length + 1, data));
  };
  return {
    async write(data) {
      if (over) return closed();
      pending.push(data);
      pendingBytes += data.length;
      try {
        while (pendingBytes >= partBytes) {
          pendingBytes -= partBytes;
          await send(take(pending, partBytes));
        }
        return Ok(undefined);
      } catch (cause) {
        return fail("upload part of", cause);
      }
    },
    async complete() {
      if (over) return closed();
      over = true;
      const rest = take(pending, pendingBytes);
      pendingBytes = 0;
      try {
        if (!created) await backend.putWhole(rest);
        else {
          if (rest.length > 0) await send(rest);
          await backend.complete(parts);
        }
        return Ok(undefined);
      } catch (cause) {
        return fail("complete upload of", cause);
      }
    },
    async abort() {
      if (over && !created) return;
      over = true;
      pending.length = 0;
      if (created) await backend.abort().catch(() => undefined);
      created = false;
    },
  };
}

/** An {@link ObjectUpload} whose completion fails with the put's error `E`. */
export interface BufferedUpload<E> {
  write(data: Uint8Array): Promise<Result<void, E | AdapterError>>;
  complete(): Promise<Result<void, E | AdapterError>>;
  abort(): Promise<void>;
}

/**
 * An {@link ObjectUpload} that keeps every byte and stores them with one `put` on completion:
 * for backends without a multipart API (memory, or an adapter that lacks `putObjectStream`).
 */
export function bufferedUpload<E>(
  put: (data: Uint8Array) => Promise<Result<void, E>>,
): BufferedUpload<E> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let over = false;
  const closed = () => Err(new AdapterError("the upload is over", { code: "UPLOAD_CLOSED" }));
  return {
    async write(data) {
      if (over) return closed();
      chunks.push(data.slice());
      bytes += data.length;
      return Ok(undefined);
    },
    async complete() {
      if (over) return closed();
      over = true;
      const whole = take(chunks, bytes);
      return put(whole);
    },
    async abort() {
      over = true;
      chunks.length = 0;
    },
  };
}
