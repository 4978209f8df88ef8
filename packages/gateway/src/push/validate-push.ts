/**
 * @module push/validate-push
 * The checks a push must pass before anything in it is considered: size, client ids, shape and
 * clock drift.
 */
import {
  type ColumnValue,
  deltaId,
  Err,
  type HLC,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  ValidationError,
} from "@lakesync/core";
import type { SyncPush } from "@lakesync/proto";

/** Limits a push is checked against. */
export interface PushLimits {
  /** Most deltas in one push. */
  readonly maxDeltas: number;
  /** Largest value of one column, in bytes of UTF-8 (JSON text for JSON values). */
  readonly maxValueBytes: number;
}

/** The default largest column value: 1 MiB. */
export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** The size of a value in bytes (exact once it could exceed `max`). */
function valueBytes(value: ColumnValue, max: number): number {
  if (value === null || typeof value === "number" || typeof value === "boolean") return 8;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short strings need no encoding.
  if (text.length * 3 <= max) return text.length;
  return encoder.encode(text).byteLength;
}

/**
 * Checks one push: at most `limits.maxDeltas` deltas, every delta pushed by the client it
 * names, no INSERT or UPDATE without
 * columns, no value larger than `limits.maxValueBytes` (`PAYLOAD_TOO_LARGE`, naming the
 * column), and the newest stamp within the allowed drift of the gateway's wall clock
 * (`clock.recv`). Returns the first problem as an `Err`; nothing is changed by a refused push
 * except, for an accepted drift check, the clock moving forward.
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
    for (const { column, value } of delta.columns) {
      const bytes = valueBytes(value, limits.maxValueBytes);
      if (bytes > limits.maxValueBytes)
        return Err(
          new LakeSyncError(
            "PAYLOAD_TOO_LARGE",
            `${delta.table}.${column} of row ${delta.rowId} holds ${bytes} bytes; a value may hold at most ${limits.maxValueBytes}`,
          ),
        );
    }
    if (newest === undefined || delta.hlc > newest) newest = delta.hlc;
  }
  // One drift check per push: only the newest stamp can be too far ahead.
  if (newest !== undefined) {
    const seen = clock.recv(newest);
    if (!seen.ok) return Err(seen.error);
  }
  return Ok(undefined);
}

/**
 * `Err` unless the delta carries the id its content hashes to (`deltaId`). Checked for every
 * delta that would change a row (a forged or zeroed id never reaches the log or the lake);
 * a duplicate changes nothing, so re-pushes skip the hash.
 */
export function verifyDeltaId(delta: RowDelta): Result<void, ValidationError> {
  const { clientId, hlc, table, rowId, columns } = delta;
  if (deltaId({ clientId, hlc, table, rowId, columns }) === delta.deltaId) return Ok(undefined);
  return Err(
    new ValidationError(
      `delta ${delta.deltaId} of ${table}/${rowId} does not carry the id of its content (deltaId)`,
    ),
  );
}
