/**
 * @module push/rules-authoriser
 * The gateway's authorisation step: client ids bound to the subject that first used them, and
 * every delta checked against the write grants of the sync rules in force.
 */
import {
  type Claims,
  Err,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
  writeRefusal,
} from "@lakesync/core";
import type { SyncPush } from "@lakesync/proto";
import { lastValues } from "../read/read-permissions.js";
import type { Registry } from "../registry/registry.js";
import type { DeltaRefusal, PushAuthoriser } from "./push-authoriser.js";

/**
 * Authorises pushes by the registry's sync rules. A client id belongs to the token subject that
 * first pushed with it (remembered durably); another subject's push with it is refused whole
 * (`FORBIDDEN`, HTTP 403). Each delta must be allowed by a write grant (see core's
 * `writeRefusal`), judged on the row's last written values before and after it; a delta that
 * changes nothing (a duplicate, or older than every column it writes) is let through, since it
 * will not be logged anyway. Without sync rules every delta is allowed.
 */
export class RulesAuthoriser implements PushAuthoriser {
  readonly #registry: Registry;

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  async admit(push: SyncPush, claims: Claims): Promise<Result<void, LakeSyncError>> {
    const subject = claims.sub;
    if (typeof subject !== "string" || subject.length === 0) return Ok(undefined);
    const owner = this.#registry.clientOwner(push.clientId);
    if (owner === undefined) return this.#registry.bindClient(push.clientId, subject);
    if (owner !== subject)
      return Err(
        new LakeSyncError(
          "FORBIDDEN",
          `client id "${push.clientId}" belongs to another user; every user's clients need their own ids`,
        ),
      );
    return Ok(undefined);
  }

  check(
    delta: RowDelta,
    claims: Claims,
    before: RowState,
    after: RowState,
  ): DeltaRefusal | undefined {
    const rules = this.#registry.rules;
    if (!rules) return undefined;
    const reason = writeRefusal(delta, lastValues(before), lastValues(after), rules, claims);
    if (reason === undefined) return undefined;
    return {
      deltaId: delta.deltaId,
      table: delta.table,
      rowId: delta.rowId,
      code: "FORBIDDEN",
      message: reason,
    };
  }
}
