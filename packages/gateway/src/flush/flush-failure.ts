/**
 * @module flush/flush-failure
 * How hosts report a failed flush: one line with everything an operator needs.
 */
import type { LakeSyncError } from "@lakesync/core";

/**
 * One line for a failed flush: the gateway, the table, the error's code and message, and the
 * chain of causes (at most five deep). Hosts log it once per failed attempt.
 */
export function describeFlushFailure(
  gatewayId: string,
  table: string,
  error: LakeSyncError,
): string {
  const causes: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    const message = cause instanceof Error ? cause.message : String(cause);
    causes.push(message);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return `[lakesync] flush of table "${table}" of gateway "${gatewayId}" failed (${error.code}): ${error.message}${causes.length > 0 ? `; caused by: ${causes.join("; ")}` : ""} (retried with back-off)`;
}
