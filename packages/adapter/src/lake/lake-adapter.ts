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
