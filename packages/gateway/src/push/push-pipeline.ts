/**
 * @module push/push-pipeline
 * The path of a push: validate, authorise, check schemas, merge, make durable (one append per
 * group of concurrent pushes), then acknowledge.
 */
import {
  applyToRowState,
  type Claims,
  Err,
  type HLC,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
} from "@lakesync/core";
import type { SyncPush } from "@lakesync/proto";
import type { LogEntry, RowView } from "../log/log-entry.js";
import type { Registry } from "../registry/registry.js";
import type { RowStates } from "../state/row-states.js";
import type { GatewayStore } from "../store/gateway-store.js";
import type { DeltaRefusal, PushAuthoriser } from "./push-authoriser.js";
import { RowOverlay } from "./row-overlay.js";
import { type PushLimits, validatePush, verifyDeltaId } from "./validate-push.js";

/** The acknowledgement of a push. */
export interface PushResult {
  /** The gateway's clock after the push; every accepted delta is durable. */
  readonly serverHlc: HLCTimestamp;
  /** Deltas that changed something (the rest were duplicates, superseded, or refused). */
  readonly accepted: number;
  /** Deltas the caller may not write, with the reason; they were not merged. */
  readonly refused: readonly DeltaRefusal[];
}

/** What the pipeline works with. */
export interface PushPipelineParts {
  readonly rows: RowStates;
  readonly clock: HLC;
  readonly store: GatewayStore;
  readonly registry: Registry;
  readonly authoriser: PushAuthoriser;
  readonly limits: PushLimits;
  /** The view of a row's change that pulls need to tell moves apart (see `RowView`). */
  readonly viewOf: (
    table: string,
    before: RowState | undefined,
    after: RowState,
  ) => RowView | undefined;
  /** Called with the entries of a group once they are durable and merged. */
  readonly accepted: (entries: readonly LogEntry[]) => void;
}

interface Waiting {
  readonly push: SyncPush;
  readonly claims: Claims;
  readonly resolve: (result: Result<PushResult, LakeSyncError>) => void;
}

interface Member {
  readonly resolve: Waiting["resolve"];
  readonly count: number;
  readonly refused: readonly DeltaRefusal[];
}

/**
 * Group commit: pushes that arrive while a group is being made durable wait and form the next
 * group, which is merged in arrival order and stored with one `append` (one fsync). If the
 * store fails, none of the group is applied or acknowledged. Groups (and any task given to
 * {@link PushPipeline.exclusive}) run one at a time, so the log stays in sequence order.
 */
export class PushPipeline {
  readonly #parts: PushPipelineParts;
  readonly #waiting: Waiting[] = [];
  #queued = false;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(parts: PushPipelineParts) {
    this.#parts = parts;
  }

  /** Queues a push; resolves with its acknowledgement once it is durable, or its `Err`. */
  submit(push: SyncPush, claims: Claims): Promise<Result<PushResult, LakeSyncError>> {
    return new Promise((resolve) => {
      this.#waiting.push({ push, claims, resolve });
      if (this.#queued) return;
      this.#queued = true;
      void this.exclusive(() => this.#drain());
    });
  }

  /** Runs `task` between groups (schema changes, log rewrites); resolves with its result. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(task, task);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Refuses new pushes from now on and waits for those already queued. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.exclusive(async () => undefined);
  }

  async #drain(): Promise<void> {
    this.#queued = false;
    const group = this.#waiting.splice(0);
    try {
      await this.#merge(group);
    } catch (cause) {
      // A store that fails underneath a read (a disk error) must not leave pushes waiting.
      const error = new LakeSyncError("STORE_UNAVAILABLE", "the gateway's store failed", { cause });
      for (const { resolve } of group) resolve(Err(error));
    }
  }

  async #merge(group: readonly Waiting[]): Promise<void> {
    const { rows, clock, store, registry, authoriser, limits, viewOf } = this.#parts;
    // One bulk read of every row the group touches (a store behind a cache reads them at once).
    rows.warm(
      (function* () {
        for (const { push } of group)
          for (const d of push.deltas) yield [d.table, d.rowId] as const;
      })(),
    );
    const overlay = new RowOverlay(rows);
    const accepted: LogEntry[] = [];
    const members: Member[] = [];
    let schemasChanged = false;
    for (const { push, claims, resolve } of group) {
      if (this.#closed) {
        resolve(Err(new LakeSyncError("GATEWAY_CLOSED", "the gateway is shutting down")));
        continue;
      }
      // 1. Validate: size, client ids, shape, clock drift, and the schemas (without growing them).
      const valid = validatePush(push, clock, limits);
      const fitsShape = valid.ok ? registry.checkDeltas(push.deltas, false) : valid;
      if (!fitsShape.ok) {
        resolve(fitsShape);
        continue;
      }
      // 2. Authorise: may this caller push at all? (Which deltas it may write is step 3.)
      const admitted = await authoriser.admit(push, claims);
      if (!admitted.ok) {
        resolve(admitted);
        continue;
      }
      // 3. Merge each delta against the row as the group's earlier deltas leave it; only those
      // that change a row and that the caller may write are logged (duplicates are acknowledged,
      // refused ones reported). Kept apart until the push's schemas are known to fit.
      const refused: DeltaRefusal[] = [];
      const allowed: RowDelta[] = [];
      const entries: LogEntry[] = [];
      const local = new RowOverlay(overlay);
      let forged: Result<void, LakeSyncError> = Ok(undefined);
      for (const delta of push.deltas) {
        const before = local.get(delta.table, delta.rowId);
        const after = applyToRowState(before, delta);
        if (after === before) continue;
        forged = verifyDeltaId(delta);
        if (!forged.ok) break;
        const refusal = authoriser.check?.(delta, claims, before, after);
        if (refusal) {
          refused.push(refusal);
          continue;
        }
        local.set(delta.table, delta.rowId, after);
        allowed.push(delta);
        const view = viewOf(delta.table, before, after);
        entries.push(view ? { seq: clock.now(), delta, view } : { seq: clock.now(), delta });
      }
      if (!forged.ok) {
        resolve(forged);
        continue;
      }
      // 4. Schemas: the written deltas grow them under the additive policy.
      const fits = registry.checkDeltas(allowed);
      if (!fits.ok) {
        resolve(fits);
        continue;
      }
      schemasChanged ||= fits.value;
      local.commit(overlay);
      for (const entry of entries) accepted.push(entry);
      const count = entries.length;
      members.push({ resolve, count, refused });
    }
    // 5. Durable: schemas first, then one append for the whole group.
    if (schemasChanged) {
      const saved = await registry.persistSchemas();
      if (!saved.ok) {
        for (const m of members) m.resolve(saved);
        return;
      }
    }
    if (accepted.length > 0) {
      const durable = await store.append(accepted, [...overlay.changes()]);
      if (!durable.ok) {
        const error = new LakeSyncError(
          "STORE_UNAVAILABLE",
          `could not make the push durable: ${durable.error.message}`,
          { cause: durable.error },
        );
        for (const m of members) m.resolve(Err(error));
        return;
      }
      overlay.commit(rows);
      this.#parts.accepted(accepted);
    }
    // 6. Acknowledge.
    const serverHlc = clock.now();
    for (const m of members) m.resolve(Ok({ serverHlc, accepted: m.count, refused: m.refused }));
  }
}
