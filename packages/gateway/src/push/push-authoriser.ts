/**
 * @module push/push-authoriser
 * The authorisation step of the push pipeline: between validation and merge, it decides whether
 * the caller may push at all, and which of the push's deltas it may write.
 */
import {
  type Claims,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
} from "@lakesync/core";
import type { SyncPush } from "@lakesync/proto";

/** Why one delta of a push was refused. */
export interface DeltaRefusal {
  readonly deltaId: string;
  readonly table: string;
  readonly rowId: string;
  /** A stable code, e.g. `FORBIDDEN`. */
  readonly code: string;
  readonly message: string;
}

/**
 * Decides what the caller (with `claims`) may write. `admit` may refuse a whole push (an `Err`:
 * nothing of it is merged); `check` judges each delta that would change its row, given the
 * row's merged state just before it (earlier deltas of the same group commit included) and just
 * after it, and returns a refusal, or `undefined` to let it through. Refused deltas are never
 * merged, logged or flushed.
 */
export interface PushAuthoriser {
  admit(push: SyncPush, claims: Claims): Promise<Result<void, LakeSyncError>>;
  /** Without `check`, every delta of an admitted push may be written. */
  check?(
    delta: RowDelta,
    claims: Claims,
    before: RowState,
    after: RowState,
  ): DeltaRefusal | undefined;
}

/** Lets every push and delta through. */
export const allowAllWrites: PushAuthoriser = { admit: async () => Ok(undefined) };
