/**
 * @module errors
 * The one error class of `@lakesync/compactor`: a {@link LakeSyncError} whose stable `code` says
 * why a compaction, a maintenance run or a checkpoint built from the lake did not complete.
 */
import { isLakeSyncError, LakeSyncError, type LakeSyncErrorOptions } from "@lakesync/core";

/**
 * The codes a caller switches on:
 * - `INVALID_OPTIONS`: an option out of range (a negative age, a budget below the minimum).
 * - `COMPACTION_FAILED`: a table could not be compacted; nothing was committed (the cause says
 *   why: the catalogue's error, an unreadable file, concurrent writers that kept winning).
 * - `OVER_BUDGET`: a part of the work does not fit the memory budget (the message says which);
 *   nothing was committed.
 * - `MAINTENANCE_FAILED`: snapshot expiry, orphan removal or history expiry failed; what was
 *   committed before the failure stays consistent (files are deleted only after the metadata
 *   that stops referencing them is committed).
 * - `CHECKPOINT_FAILED`: the lake could not be read into checkpoint chunks.
 * - `BEYOND_RETENTION`: a moment older than what the history still answers.
 */
export type CompactorErrorCode =
  | "INVALID_OPTIONS"
  | "COMPACTION_FAILED"
  | "OVER_BUDGET"
  | "MAINTENANCE_FAILED"
  | "CHECKPOINT_FAILED"
  | "BEYOND_RETENTION";

/** An error of the compactor; see {@link CompactorErrorCode}. */
export class CompactorError extends LakeSyncError {
  override readonly code: CompactorErrorCode;

  constructor(code: CompactorErrorCode, message: string, options: LakeSyncErrorOptions = {}) {
    super(code, message, options);
    this.name = "CompactorError";
    this.code = code;
  }
}

const CODES: ReadonlySet<string> = new Set<CompactorErrorCode>([
  "INVALID_OPTIONS",
  "COMPACTION_FAILED",
  "OVER_BUDGET",
  "MAINTENANCE_FAILED",
  "CHECKPOINT_FAILED",
  "BEYOND_RETENTION",
]);

/**
 * True when `value` is a LakeSync error with one of the compactor's codes (and `code`, when
 * given). Works across realms, where `instanceof` fails.
 */
export function isCompactorError(
  value: unknown,
  code?: CompactorErrorCode,
): value is LakeSyncError & { readonly code: CompactorErrorCode } {
  if (!isLakeSyncError(value) || !CODES.has(value.code)) return false;
  return code === undefined || value.code === code;
}

/** `error` wrapped as a {@link CompactorError} of `code`, naming what failed. */
export function wrapError(
  code: CompactorErrorCode,
  what: string,
  error: LakeSyncError,
): CompactorError {
  if (isCompactorError(error)) return error;
  return new CompactorError(code, `${what}: ${error.code}: ${error.message}`, { cause: error });
}
