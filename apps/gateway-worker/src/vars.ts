/**
 * @module vars
 * Reading the Worker's string variables (see wrangler.jsonc) as numbers, with defaults.
 */

/** A positive integer variable, or the default. */
export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/**
 * How many trimmed log entries trigger a rewrite of the Durable Object's log storage:
 * `LOG_REWRITE_AFTER_TRIMMED`, or its old name `COMPACT_AFTER_TRIMMED`; 100,000 by default.
 */
export function logRewriteAfterTrimmed(env: {
  readonly LOG_REWRITE_AFTER_TRIMMED?: string;
  readonly COMPACT_AFTER_TRIMMED?: string;
}): number {
  return intVar(env.LOG_REWRITE_AFTER_TRIMMED ?? env.COMPACT_AFTER_TRIMMED, 100_000);
}
