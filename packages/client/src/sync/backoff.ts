/**
 * @module sync/backoff
 * Exponential backoff with full jitter, so many clients recovering at once do not stampede.
 */

/** Options for {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay ceiling for the first retry (ms). Defaults to 1000. */
  readonly baseMs?: number;
  /** Largest delay ever returned (ms). Defaults to 60000. */
  readonly maxMs?: number;
  /** A random number in [0, 1); defaults to `Math.random`. */
  readonly random?: () => number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry): a random value between half
 * of and the full `min(maxMs, baseMs * 2^(attempt-1))`, never below 1 ms.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1_000;
  const max = options.maxMs ?? 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const random = options.random ?? Math.random;
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
