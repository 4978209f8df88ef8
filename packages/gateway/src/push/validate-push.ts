/**
 * @module push/validate-push
 * The checks a push must pass before anything in it is considered: size, client ids, shape and
 * clock drift.
 */
import {
  Err,
  type HLC,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  ValidationError,
} from "@lakesync/core";
import type { SyncPush } from "@lakesync/proto";

/** Limits a push is checked against. */
export interface PushLimits {
  /** Most deltas in one push. */
  readonly maxDeltas: number;
}

/**
 * Checks one push: at most `limits.maxDeltas` deltas, every delta pushed by the client it
 * names, no INSERT or UPDATE without columns, and the newest stamp within the allowed drift of
 * the gateway's clock (`clock.recv`). Returns the first problem as an `Err`; nothing is changed
 * by a refused push except, for an accepted drift check, the clock moving forward.
 */
export function validatePush(
  push: SyncPush,
  clock: HLC,
  limits: PushLimits,
): Result<void, LakeSyncError> {
  if (push.deltas.length > limits.maxDeltas)
    return Err(
      new LakeSyncError(
        "TOO_MANY_DELTAS",
        `a push may carry at most ${limits.maxDeltas} deltas, got ${push.deltas.length}`,
      ),
    );
  let newest: HLCTimestamp | undefined;
  for (const delta of push.deltas) {
    if (delta.clientId !== push.clientId)
      return Err(
        new ValidationError(
          `delta ${delta.deltaId} has clientId "${delta.clientId}" but was pushed by "${push.clientId}"`,
        ),
      );
    if (delta.op !== "DELETE" && delta.columns.length === 0)
      return Err(new ValidationError(`delta ${delta.deltaId} (${delta.op}) carries no columns`));
    if (newest === undefined || delta.hlc > newest) newest = delta.hlc;
  }
  // One drift check per push: only the newest stamp can be too far ahead.
  if (newest !== undefined) {
    const seen = clock.recv(newest);
    if (!seen.ok) return Err(seen.error);
  }
  return Ok(undefined);
}
