/**
 * @module commit/retry
 * The back-off between commit attempts: a random wait below `min(1000, 25 · 2^retry)` ms (full
 * jitter), so writers that collided do not collide again in lock-step. Tests turn it off.
 */

/** How a commit retries after a conflict or an unknown outcome. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 8). */
  readonly attempts?: number;
  /** The wait before retry `n` (1, 2, …) in ms; `() => 0` retries at once. */
  readonly backoffMs?: (retry: number) => number;
  /** How to wait; defaults to `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The default back-off: full jitter below `min(1000, 25 · 2^retry)` ms. */
export function jitteredBackoff(retry: number): number {
  return Math.random() * Math.min(1000, 25 * 2 ** retry);
}

/** Waits before retry `retry` as `options` say. */
export async function retryDelay(retry: number, options: RetryOptions = {}): Promise<void> {
  const ms = (options.backoffMs ?? jitteredBackoff)(retry);
  if (!(ms > 0)) return;
  await (options.sleep ?? ((t: number) => new Promise<void>((resolve) => setTimeout(resolve, t))))(
    ms,
  );
}
