/**
 * @module lake/lake-adapter
 * The object-storage contract every lake backend implements.
 */
import { AdapterError, type Result } from "@lakesync/core";

/** One stored object as a listing reports it. */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** An object that does not exist (code `OBJECT_NOT_FOUND`). */
export class ObjectNotFoundError extends AdapterError {
  constructor(path: string) {
    super(`no object at "${path}"`, { code: "OBJECT_NOT_FOUND" });
    this.name = "ObjectNotFoundError";
  }
}

/**
 * An object being written in parts, in order: a multipart upload (S3, R2), a temporary file (a
 * directory). Nobody sees the object before {@link complete}; after {@link abort} it is as if
 * the upload never began (an object already at the key is untouched). Once either is called, or
 * a call failed, the upload is over: later calls fail.
 */
export interface ObjectUpload {
  /** Appends `data` (the upload may keep a reference until it has sent it). */
  write(data: Uint8Array): Promise<Result<void, AdapterError>>;
  /** Makes the object visible with everything written, replacing any object at the key. */
  complete(): Promise<Result<void, AdapterError>>;
  /** Drops everything written; never fails (a leftover is an orphan maintenance removes). */
  abort(): Promise<void>;
}

/**
 * Object storage: S3, R2, MinIO, a local directory, memory. Keys are `/`-separated paths without
 * a leading `/`. Every method returns a `Result`; none throws. Listing returns every key under a
 * prefix (pagination is handled inside), sorted by key.
 */
export interface LakeAdapter {
  putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, AdapterError>>;
  /** `Err(ObjectNotFoundError)` when there is no such object. */
  getObject(path: string): Promise<Result<Uint8Array, AdapterError>>;
  headObject(path: string): Promise<Result<{ size: number; lastModified: Date }, AdapterError>>;
  listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>>;
  /** Deleting a missing object succeeds. */
  deleteObject(path: string): Promise<Result<void, AdapterError>>;
  /** Deletes many objects, in batches of at most 1000 per request. */
  deleteObjects(paths: readonly string[]): Promise<Result<void, AdapterError>>;
  /**
   * Optional: starts writing the object at `path` in parts ({@link ObjectUpload}), so an object
   * larger than memory can be written. Callers without it buffer and use {@link putObject}.
   */
  putObjectStream?(path: string, contentType?: string): Promise<Result<ObjectUpload, AdapterError>>;
  /**
   * Optional: reads `length` bytes of the object at `path` from byte `offset` (fewer when the
   * object ends first; `offset` must lie inside it). `Err(ObjectNotFoundError)` when there is no
   * such object. Callers without it read the whole object.
   */
  getObjectRange?(
    path: string,
    offset: number,
    length: number,
  ): Promise<Result<Uint8Array, AdapterError>>;
}

/** An `INVALID_RANGE` error for a range that is not a non-negative offset and a positive length; else null. */
export function checkRange(offset: number, length: number): AdapterError | null {
  return Number.isSafeInteger(offset) && offset >= 0 && Number.isSafeInteger(length) && length > 0
    ? null
    : new AdapterError(`invalid byte range: offset ${offset}, length ${length}`, {
        code: "INVALID_RANGE",
      });
}

/** True when `value` has every method of a {@link LakeAdapter}. */
export function isLakeAdapter(value: unknown): value is LakeAdapter {
  const v = value as Partial<Record<keyof LakeAdapter, unknown>> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    ["putObject", "getObject", "headObject", "listObjects", "deleteObject", "deleteObjects"].every(
      (m) => typeof (v as Record<string, unknown>)[m] === "function",
    )
  );
}

/**
 * Checks an object key: non-empty, at most 1024 UTF-8 bytes, no NUL, no leading `/`, no `.` or
 * `..` segments, no empty segments. Every adapter applies the same rules, so a key valid on one
 * backend is valid on all.
 */
export function checkKey(path: unknown, allowEmpty = false): AdapterError | null {
  if (typeof path !== "string")
    return new AdapterError("object keys must be strings", { code: "INVALID_KEY" });
  if (path === "" && allowEmpty) return null;
  if (path.length === 0)
    return new AdapterError("object keys must not be empty", { code: "INVALID_KEY" });
  if (new TextEncoder().encode(path).byteLength > 1024)
    return new AdapterError("object keys are at most 1024 bytes", { code: "INVALID_KEY" });
  if (path.includes("\u0000"))
    return new AdapterError("object keys must not contain NUL", { code: "INVALID_KEY" });
  if (path.startsWith("/") || path.includes("\\"))
    return new AdapterError(`object key "${path}" must be relative and use "/"`, {
      code: "INVALID_KEY",
    });
  const segments = path.split("/");
  const last = segments.length - 1;
  for (const [i, segment] of segments.entries()) {
    if (segment === "." || segment === "..")
      return new AdapterError(`object key "${path}" must not contain "." or ".." segments`, {
        code: "INVALID_KEY",
      });
    if (segment === "" && !(allowEmpty && i === last))
      return new AdapterError(`object key "${path}" has an empty segment`, { code: "INVALID_KEY" });
  }
  return null;
}

/** The `INVALID_RANGE` error of a range read starting at or past the end of an object. */
export function rangeOutside(path: string, offset: number, size?: number): AdapterError {
  const of = size === undefined ? "" : ` (${size} bytes)`;
  return new AdapterError(`offset ${offset} is past the end of "${path}"${of}`, {
    code: "INVALID_RANGE",
  });
}
