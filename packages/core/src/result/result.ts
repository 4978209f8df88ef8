/**
 * @module result
 * The `Result` type every public LakeSync API returns instead of throwing.
 */
import { LakeSyncError } from "./errors.js";

/** A successful outcome carrying `value`. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** A failed outcome carrying `error`. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/** The outcome of an operation that can fail: `{ ok: true, value }` or `{ ok: false, error }`. */
export type Result<T, E = LakeSyncError> = Ok<T> | Err<E>;

/** Wraps a value as a successful `Result`. */
export function Ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** Wraps an error as a failed `Result`. */
export function Err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** Transforms the value of a successful `Result`; a failure passes through unchanged. */
export function mapResult<T, U, E>(result: Result<T, E>, fn: (value: T) => U): Result<U, E> {
  return result.ok ? Ok(fn(result.value)) : result;
}

/** Chains an operation that can itself fail onto a successful `Result`. */
export function flatMapResult<T, U, E, F = E>(
  result: Result<T, E>,
  fn: (value: T) => Result<U, F>,
): Result<U, E | F> {
  return result.ok ? fn(result.value) : result;
}

/**
 * Returns the value of a successful `Result` and throws its error otherwise.
 * For tests, scripts and application edges only: library code never unwraps.
 */
export function unwrapOrThrow<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error;
}

/**
 * Turns a promise into a promise of `Result` that never rejects. A rejection becomes an `Err`
 * built by `mapError`, or a `LakeSyncError` with code `UNEXPECTED` wrapping the cause.
 */
export async function fromPromise<T, E = LakeSyncError>(
  promise: PromiseLike<T>,
  mapError?: (cause: unknown) => E,
): Promise<Result<T, E>> {
  try {
    return Ok(await promise);
  } catch (cause) {
    if (mapError) return Err(mapError(cause));
    const message = cause instanceof Error ? cause.message : String(cause);
    return Err(new LakeSyncError("UNEXPECTED", message, { cause }) as unknown as E);
  }
}
