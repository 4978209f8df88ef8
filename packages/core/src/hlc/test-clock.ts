/**
 * @module hlc/test-clock
 * A controllable wall clock for tests and simulations with several replicas.
 */

/**
 * A manual wall clock. Pass `clock.read` as an {@link HLC}'s `wallClock`; several replicas can
 * share one instance (a shared monotonic clock) or each have its own (independent skew).
 *
 * @example
 * const clock = new TestClock(1_700_000_000_000);
 * const a = new HLC({ wallClock: clock.read });
 * clock.advance(10);
 */
export class TestClock {
  #ms: number;

  constructor(startMs = 1_700_000_000_000) {
    this.#ms = startMs;
  }

  /** The current reading; bound, so it can be passed around as a function. */
  readonly read = (): number => this.#ms;

  /** Moves the clock forward (or backward, with a negative value) by `ms`. */
  advance(ms: number): void {
    this.#ms += ms;
  }

  /** Sets the clock to an absolute reading, which may be earlier than the current one. */
  set(ms: number): void {
    this.#ms = ms;
  }
}
