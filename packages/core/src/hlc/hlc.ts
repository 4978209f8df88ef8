/**
 * @module hlc/hlc
 * A hybrid logical clock: monotonic timestamps that stay close to the wall clock and respect
 * causality across replicas.
 */
import { ClockDriftError, type ValidationError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import { decodeHLC, type HLCTimestamp, MAX_COUNTER, MAX_WALL_MS, toHLC } from "./timestamp.js";

/** Options for {@link HLC}. */
export interface HLCOptions {
  /** Reads the physical clock in milliseconds since the epoch. Defaults to `Date.now`. */
  readonly wallClock?: () => number;
  /** How far ahead of the local wall clock a remote stamp may be, in ms. Defaults to 5000. */
  readonly maxDriftMs?: number;
  /** The last timestamp this clock issued, to resume after a restart without going backwards. */
  readonly last?: HLCTimestamp;
}

/** The default tolerated drift of a remote clock ahead of ours. */
export const DEFAULT_MAX_DRIFT_MS = 5_000;

/**
 * A hybrid logical clock. Every timestamp it issues is strictly greater than every timestamp it
 * issued or received before.
 *
 * - The physical part never decreases: a wall clock that goes backwards (or returns a negative,
 *   non-integer or out-of-range reading) is ignored and the counter advances instead.
 * - Counter overflow: when the counter would pass 65535 the physical part is advanced by 1 ms and
 *   the counter restarts at 0, borrowing a millisecond from the future rather than repeating.
 *   At the largest representable wall clock the clock saturates and repeats its last stamp.
 *
 * @example
 * const clock = new HLC();
 * const ts = clock.now();
 * const merged = clock.recv(remoteTs); // Err(ClockDriftError) when remote is > 5 s ahead
 */
export class HLC {
  readonly #wallClock: () => number;
  readonly #maxDriftMs: number;
  #wallMs = 0;
  #counter = 0;

  constructor(options: HLCOptions = {}) {
    this.#wallClock = options.wallClock ?? Date.now;
    this.#maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
    if (options.last !== undefined) {
      const parts = decodeHLC(options.last);
      this.#wallMs = parts.wallMs;
      this.#counter = parts.counter;
    }
  }

  /** Issues a new timestamp for a local event. */
  now(): HLCTimestamp {
    const physical = this.#readWall();
    if (physical > this.#wallMs) {
      this.#wallMs = physical;
      this.#counter = 0;
    } else {
      this.#tick(this.#counter + 1);
    }
    return this.#current();
  }

  /**
   * Merges a timestamp received from another replica and issues one greater than both.
   * Returns `Err(ClockDriftError)` — leaving the clock unchanged — when the remote wall clock is
   * more than the allowed drift ahead of the local physical wall clock, and
   * `Err(ValidationError)` for a value that is not a 64-bit timestamp. So however many stamps it
   * accepts, the clock never runs more than the drift limit ahead of the wall clock.
   */
  recv(remote: HLCTimestamp): Result<HLCTimestamp, ClockDriftError | ValidationError> {
    const checked = toHLC(remote);
    if (!checked.ok) return checked;
    const { wallMs: remoteWall, counter: remoteCounter } = decodeHLC(checked.value);
    // Drift is judged against the physical wall clock, never against the clock's own last stamp:
    // otherwise every accepted stamp would raise the bar for the next one, and a sequence of
    // pushes each just within the limit could ratchet the clock arbitrarily far ahead.
    const physical = this.#readWall();
    if (remoteWall - physical > this.#maxDriftMs) {
      return Err(
        new ClockDriftError(
          `remote clock is ${remoteWall - physical} ms ahead of the wall clock (limit ${this.#maxDriftMs} ms)`,
        ),
      );
    }
    const wall = Math.max(physical, this.#wallMs, remoteWall);
    if (wall === this.#wallMs && wall === remoteWall) {
      this.#tick(Math.max(this.#counter, remoteCounter) + 1);
    } else if (wall === this.#wallMs) {
      this.#tick(this.#counter + 1);
    } else if (wall === remoteWall) {
      this.#wallMs = wall;
      this.#tick(remoteCounter + 1);
    } else {
      this.#wallMs = wall;
      this.#counter = 0;
    }
    return Ok(this.#current());
  }

  /** The last timestamp issued or received, without advancing the clock. */
  peek(): HLCTimestamp {
    return this.#current();
  }

  #tick(counter: number): void {
    if (counter <= MAX_COUNTER) {
      this.#counter = counter;
    } else if (this.#wallMs < MAX_WALL_MS) {
      this.#wallMs += 1;
      this.#counter = 0;
    }
  }

  #readWall(): number {
    const reading = this.#wallClock();
    if (!Number.isFinite(reading) || reading < 0) return this.#wallMs;
    return Math.min(Math.floor(reading), MAX_WALL_MS);
  }

  #current(): HLCTimestamp {
    return ((BigInt(this.#wallMs) << 16n) | BigInt(this.#counter)) as HLCTimestamp;
  }
}
