/**
 * @module errors
 * The LakeSync error hierarchy: every error has a stable string `code` a caller can switch on.
 */

/** Options accepted by every LakeSync error. */
export interface LakeSyncErrorOptions {
  /** The underlying error or value that caused this one. */
  readonly cause?: unknown;
}

const BRAND = Symbol.for("lakesync.error");

/**
 * Base class of every LakeSync error. `code` is stable across releases; `message` is for people.
 * Use {@link isLakeSyncError} rather than `instanceof` across realms (workers, message ports).
 */
export class LakeSyncError extends Error {
  /** A stable machine-readable code such as `CLOCK_DRIFT`. */
  readonly code: string;
  readonly [BRAND] = true;

  constructor(code: string, message: string, options: LakeSyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LakeSyncError";
    this.code = code;
  }
}

/** A remote timestamp is further ahead of the local wall clock than the allowed drift. */
export class ClockDriftError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("CLOCK_DRIFT", message, options);
    this.name = "ClockDriftError";
  }
}

/** Two deltas could not be merged, for example because they address different rows. */
export class ConflictError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("CONFLICT", message, options);
    this.name = "ConflictError";
  }
}

/** Writing buffered deltas to a backend failed; the buffer is kept for a retry. */
export class FlushError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("FLUSH_FAILED", message, options);
    this.name = "FlushError";
  }
}

/** Data does not match the expected schema, or a schema document is invalid. */
export class SchemaError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("SCHEMA_MISMATCH", message, options);
    this.name = "SchemaError";
  }
}

/** A storage adapter operation failed. `code` defaults to `ADAPTER_ERROR`. */
export class AdapterError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions & { readonly code?: string } = {}) {
    super(options.code ?? "ADAPTER_ERROR", message, options);
    this.name = "AdapterError";
  }
}

/** Input could not be parsed or failed validation (malformed bytes, JSON, documents). */
export class ValidationError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("INVALID_INPUT", message, options);
    this.name = "ValidationError";
  }
}

/**
 * True when `value` is a LakeSync error, including one from another realm where `instanceof`
 * fails; checks the brand, then the shape.
 */
export function isLakeSyncError(value: unknown): value is LakeSyncError {
  if (value instanceof LakeSyncError) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { [BRAND]?: unknown; code?: unknown; message?: unknown };
  return (
    candidate[BRAND] === true &&
    typeof candidate.code === "string" &&
    typeof candidate.message === "string"
  );
}

/** True when `value` is a LakeSync error with the given `code`. */
export function hasErrorCode(value: unknown, code: string): value is LakeSyncError {
  return isLakeSyncError(value) && value.code === code;
}
