/**
 * @module wire/failure
 * The internal signal of a decoding or encoding failure. Codecs throw it deep inside a message
 * (cheaper than threading a `Result` through every field) and turn it into a `WireError` at the
 * public boundary, which never lets anything escape.
 */
import { WireError, type WireErrorReason } from "../errors.js";

/** A failure at `path`, relative to the message being read; outer readers prefix their field. */
export class Failure {
  constructor(
    readonly reason: WireErrorReason,
    public path: string,
    readonly detail: string,
    readonly cause?: unknown,
  ) {}
}

/** Throws a {@link Failure}; typed `never` so callers can use it in expressions. */
export function fail(
  reason: WireErrorReason,
  path: string,
  detail: string,
  cause?: unknown,
): never {
  throw new Failure(reason, path, detail, cause);
}

/**
 * Prefixes the path of a failure raised while reading or writing `segment`, then rethrows.
 * Anything else is rethrown unchanged for the boundary to report.
 */
export function within(error: unknown, segment: string): never {
  if (error instanceof Failure && segment !== "") {
    error.path = error.path === "" ? segment : `${segment}.${error.path}`;
  }
  throw error;
}

/**
 * Converts anything thrown inside a codec into a `WireError` for the message `root`. Exceptions
 * that are not a {@link Failure} (a getter that throws, a runtime limit such as the stack) are
 * reported with `fallback` as the reason and the exception as `cause`, so a codec never throws.
 */
export function toWireError(
  error: unknown,
  root: string,
  fallback: WireErrorReason = "MALFORMED",
): WireError {
  if (error instanceof Failure) {
    const path = error.path === "" ? root : `${root}.${error.path}`;
    return new WireError(
      error.reason,
      path,
      error.detail,
      error.cause === undefined ? {} : { cause: error.cause },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new WireError(fallback, root, detail, { cause: error });
}
