/**
 * @module cli/cli-error
 * The command line's own errors and how every error is put into words: the message, and only
 * with `--verbose` the code, the stack and the chain of causes.
 */
import { isLakeSyncError, LakeSyncError, type LakeSyncErrorOptions } from "@lakesync/core";
import { EXIT, type ExitCode } from "./cli-io.js";

/** The stable codes of {@link CliError}. */
export type CliErrorCode =
  /** The command line was wrong (exit 2). */
  | "USAGE"
  /** The gateway could not be reached. */
  | "GATEWAY_UNAVAILABLE"
  /** The gateway answered with an error status. */
  | "GATEWAY_REFUSED"
  /** The data directory holds no lake yet. */
  | "NO_LAKE";

/** An error of the command line itself; `USAGE` exits with 2, the others with 1. */
export class CliError extends LakeSyncError {
  declare readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options: LakeSyncErrorOptions = {}) {
    super(code, message, options);
    this.name = "CliError";
  }
}

/** A usage error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError("USAGE", message);
}

/**
 * The exit code an error ends the command with: 2 for usage errors and invalid configuration
 * (`USAGE`, `INVALID_CONFIG`), else 1.
 */
export function exitCodeOf(error: unknown): ExitCode {
  return isLakeSyncError(error) && (error.code === "USAGE" || error.code === "INVALID_CONFIG")
    ? EXIT.usage
    : EXIT.failure;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? `${cause.name}: ${cause.message}`;
  return String(cause);
}

/**
 * `error` in words for `lakesync <command>: ...`: its message (and its direct cause's); with
 * `verbose`, also its code, its stack and each cause's (so that a bug report carries them).
 */
export function describeError(error: unknown, verbose: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!verbose) {
    // A library's own words ("connect ECONNREFUSED", "EADDRINUSE") often say what went wrong.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
    return cause?.message && !message.includes(cause.message)
      ? `${message} (${cause.message})`
      : message;
  }
  const lines = [message];
  if (isLakeSyncError(error)) lines.push(`  code: ${error.code}`);
  if (error instanceof Error && error.stack) lines.push(error.stack);
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 8; depth++) {
    lines.push(`caused by: ${causeText(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join("\n");
}
