/**
 * @module errors
 * The one error class of `@lakesync/analyst`: a {@link LakeSyncError} whose stable `code` says
 * why a query, a union read or a time-travel read could not give an answer.
 */
import { isLakeSyncError, LakeSyncError, type LakeSyncErrorOptions } from "@lakesync/core";

/**
 * The codes a caller switches on:
 * - `QUERY_FAILED`: DuckDB refused the SQL (syntax, a missing column, a type error).
 * - `NO_SUCH_TABLE`: the table is not in the lake (or not registered with the client).
 * - `MISSING_FILE`: a file the Iceberg metadata lists cannot be found or fetched.
 * - `BEYOND_RETENTION`: the moment asked for is older than what the lake still keeps (the
 *   oldest retained delta of the history, or an expired snapshot).
 * - `PULL_FILTERED`: the gateway serves pulls through sync rules, so its unflushed deltas
 *   cannot all be seen with this token (a union read would silently miss rows).
 * - `GATEWAY_UNAVAILABLE`: the gateway could not be reached or answered with an error.
 * - `INVALID_INPUT`: a malformed option, HLC, snapshot id or time.
 * - `CLOSED`: the client was closed.
 */
export type AnalystErrorCode =
  | "QUERY_FAILED"
  | "NO_SUCH_TABLE"
  | "MISSING_FILE"
  | "BEYOND_RETENTION"
  | "PULL_FILTERED"
  | "GATEWAY_UNAVAILABLE"
  | "INVALID_INPUT"
  | "CLOSED";

/** An error of the analyst; see {@link AnalystErrorCode}. */
export class AnalystError extends LakeSyncError {
  override readonly code: AnalystErrorCode;

  constructor(code: AnalystErrorCode, message: string, options: LakeSyncErrorOptions = {}) {
    super(code, message, options);
    this.name = "AnalystError";
    this.code = code;
  }
}

const CODES: ReadonlySet<string> = new Set<AnalystErrorCode>([
  "QUERY_FAILED",
  "NO_SUCH_TABLE",
  "MISSING_FILE",
  "BEYOND_RETENTION",
  "PULL_FILTERED",
  "GATEWAY_UNAVAILABLE",
  "INVALID_INPUT",
  "CLOSED",
]);

/**
 * True when `value` is a LakeSync error with one of the analyst's codes (and `code`, when
 * given). Works across realms, where `instanceof` fails.
 */
export function isAnalystError(
  value: unknown,
  code?: AnalystErrorCode,
): value is LakeSyncError & { readonly code: AnalystErrorCode } {
  if (!isLakeSyncError(value) || !CODES.has(value.code)) return false;
  return code === undefined || value.code === code;
}

/** The message of an unknown thrown value. */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
