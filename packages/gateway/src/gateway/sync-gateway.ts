/**
 * @module gateway/sync-gateway
 * `SyncGateway`: the facade over the gateway's parts (push pipeline, change log, row index, read
 * permissions, checkpoints, flusher, log retention, schema and rules registry, notifier).
 */
import {
  type Claims,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type SyncRules,
  type TableSchema,
  validateSyncRules,
} from "@lakesync/core";
import type { SyncPull, SyncPush, SyncResponse } from "@lakesync/proto";
import { type CheckpointPlan, DEFAULT_CHECKPOINT_BUDGET } from "../checkpoint/build-checkpoint.js";
import type { CheckpointSource } from "../checkpoint/checkpoint-source.js";
import { planGatewayCheckpoint } from "../checkpoint/gateway-checkpoint.js";
import type { Flusher, FlushReport } from "../flush/flusher.js";
import { toFlushTarget } from "../flush/targets/target-spec.js";
import type { RealtimeChange } from "../notify/realtime-change.js";
import { PushPipeline } from "../push/push-pipeline.js";
import { RulesAuthoriser } from "../push/rules-authoriser.js";
import { DEFAULT_MAX_VALUE_BYTES } from "../push/validate-push.js";
import { type ReadParts, readRawLog, refusedRows, servePull } from "../read/serve-reads.js";
import type { SchemaSet } from "../registry/schema-manager.js";
import { gatewayFlusher } from "./gateway-flusher.js";
import type { GatewayStats, PushAnswer } from "./gateway-types.js";
import { autoFlushOf, pullPagesOf, type SyncGatewayOptions } from "./options.js";
import { type GatewayParts, restoreParts } from "./restore-parts.js";

/**
 * One gateway: merges pushed deltas (column-level last writer wins against its row index),
 * makes them durable in its {@link GatewayStore} before acknowledging, serves them back to
 * pulls filtered by sync rules, serves checkpoints, and flushes them in batches to a lake or a
 * database. Nothing here throws: every failure is an `Err` with a stable code.
 *
 * @example
 * const gateway = unwrapOrThrow(await SyncGateway.open({ gatewayId: "todos", target }));
 * await gateway.setSchema({ table: "todos", columns: [{ name: "title", type: "string" }] });
 * const ack = await gateway.handlePush(push, claims);
 */
export class SyncGateway {
  readonly gatewayId: string;
  readonly #parts: GatewayParts;
  readonly #pipeline: PushPipeline;
  readonly #flusher: Flusher;
  readonly #hasTarget: boolean;
  readonly #reads: ReadParts;
  readonly #budget: number;
  readonly #checkpointSource: CheckpointSource | undefined;

  private constructor(
    options: SyncGatewayOptions,
    parts: GatewayParts,
    flushedThrough: HLCTimestamp,
  ) {
    this.gatewayId = options.gatewayId;
    this.#parts = parts;
    const { store, clock, rows, log, buffer, registry, notifier } = parts;
    const now = options.now ?? Date.now;
    const { thresholds, flushOnPush } = autoFlushOf(options);
    const target = options.target ? toFlushTarget(options.target) : undefined;
    this.#hasTarget = target !== undefined;
    const rulesSince = () => registry.rulesSince;
    this.#reads = { log, rows, reads: parts.reads, rulesSince, pages: pullPagesOf(options) };
    this.#budget = options.checkpointBudgetBytes ?? DEFAULT_CHECKPOINT_BUDGET;
    this.#checkpointSource = options.checkpointSource;
    this.#flusher = gatewayFlusher(
      options,
      parts,
      { target, thresholds, now, flushedThrough },
      () => this.rewriteLog(),
    );
    this.#pipeline = new PushPipeline({
      rows,
      clock,
      store,
      registry,
      authoriser: options.authoriser ?? new RulesAuthoriser(registry),
      viewOf: (table, before, after) => parts.reads.viewOf(table, before, after),
      limits: {
        maxDeltas: options.maxPushDeltas ?? 10_000,
        maxValueBytes: options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
      },
      accepted: (entries) => {
        // The cursor the entries follow on: a rules change after the last entry counts, so a
        // subscriber from before it sees a gap and pulls (and restarts from a checkpoint).
        const sinceHlc = this.head;
        log.append(entries);
        buffer.append(entries, now());
        notifier.logged({ sinceHlc, serverHlc: log.head, entries, reads: parts.reads, rows, now });
        if (flushOnPush && thresholds && buffer.byteSize >= thresholds.maxBytes)
          void this.#flusher.tick();
      },
    });
  }

  /**
   * Opens a gateway over its store: replays every durable entry into the row index, the pull
   * log and (when not yet flushed) the buffer, and restores sync rules and schemas.
   */
  static async open(options: SyncGatewayOptions): Promise<Result<SyncGateway, LakeSyncError>> {
    const restored = await restoreParts(options);
    if (!restored.ok) return restored;
    return Ok(new SyncGateway(options, restored.value.parts, restored.value.flushedThrough));
  }

  /**
   * Accepts a push: validates it (size, client ids, clock drift), authorises it (the client id
   * must belong to the caller, each delta must be allowed by a write grant), checks schemas,
   * merges each delta against the row index, makes the ones that change something durable, then
   * acknowledges. Duplicates and superseded deltas are acknowledged without being logged again,
   * so a re-push is a no-op. Refused deltas are listed with the reason, and `restore` carries
   * the gateway's version of their rows (or evicts the ones the caller may not read) so the
   * client can put them back. On any `Err` nothing was applied.
   */
  async handlePush(
    push: SyncPush,
    claims: Claims = {},
  ): Promise<Result<PushAnswer, LakeSyncError>> {
    const ack = await this.#pipeline.submit(push, claims);
    if (!ack.ok || ack.value.refused.length === 0) return ack;
    return Ok({ ...ack.value, restore: refusedRows(this.#reads, ack.value.refused, claims) });
  }

  /**
   * Returns the log entries after `sinceHlc` as the caller's sync rules let them through, at
   * most `maxDeltas` entries (0 for the default page): deltas of rows in the caller's view,
   * rows that entered it whole, and evictions of rows that left it. `serverHlc` is the cursor
   * for the next pull. A cursor older than the retained log, or than the last change of sync
   * rules, is `Err(CURSOR_EXPIRED)`: start from a checkpoint.
   */
  async handlePull(
    pull: SyncPull,
    claims: Claims = {},
  ): Promise<Result<SyncResponse, LakeSyncError>> {
    return servePull(this.#reads, pull, claims);
  }

  /**
   * The raw log after `sinceHlc`, unfiltered by sync rules, at most `maxDeltas` entries (0 for
   * the default page): for trusted readers (admins, the analyst's union reads), never for
   * clients. A cursor older than the retained log is `Err(CURSOR_EXPIRED)`.
   */
  readLog(sinceHlc: HLCTimestamp, maxDeltas = 0): Result<SyncResponse, LakeSyncError> {
    return readRawLog(this.#reads, sinceHlc, maxDeltas);
  }

  /**
   * A snapshot of every row the caller may see, filtered by sync rules, as chunks for an initial
   * sync (`[...plan.chunks()]`, or streamed: each chunk is built when read); pull from its
   * `snapshotHlc` afterwards. With a `checkpointSource` the tables it holds come from it and the
   * plan's `snapshotHlc` is where it leaves off (see `planSourcedCheckpoint`).
   */
  async checkpoint(
    claims: Claims = {},
    options: { budgetBytes?: number } = {},
  ): Promise<Result<CheckpointPlan, LakeSyncError>> {
    const { rows, reads, log, registry } = this.#parts;
    return planGatewayCheckpoint(
      {
        gatewayId: this.gatewayId,
        claims,
        allowed: reads.stateFilter(claims),
        flushedThrough: this.#flusher.flushedThrough,
        budgetBytes: options.budgetBytes ?? this.#budget,
      },
      {
        rows,
        log,
        rulesSince: registry.rulesSince,
        head: this.head,
        source: this.#checkpointSource,
      },
    );
  }

  /** The cursor a checkpoint taken now would carry (after the last rules change, if later). */
  get head(): HLCTimestamp {
    const { log, registry } = this.#parts;
    const since = registry.rulesSince;
    return since !== undefined && since > log.head ? since : log.head;
  }

  /** The current schemas, for clients. */
  schemas(): SchemaSet {
    return this.#parts.registry.schemas();
  }

  /** Registers or grows a table schema (admin). `Err(SchemaError)` if invalid or not additive. */
  setSchema(document: unknown): Promise<Result<SchemaSet, LakeSyncError>> {
    return this.#pipeline.exclusive(() => this.#parts.registry.setSchema(document));
  }

  /** The schema of one table, if registered. */
  schemaOf(table: string): TableSchema | undefined {
    return this.#parts.registry.schemaOf(table);
  }

  /** The sync rules in force, if any. */
  get syncRules(): SyncRules | undefined {
    return this.#parts.registry.rules;
  }

  /**
   * Replaces the sync rules (admin), after validating them; they are stored durably. When they
   * change while the log holds entries, every cursor from before the change expires
   * (`CURSOR_EXPIRED`): clients start again from a checkpoint judged by the new rules. Setting
   * the rules in force again changes nothing.
   */
  setSyncRules(document: unknown): Promise<Result<SyncRules, LakeSyncError>> {
    return this.#pipeline.exclusive(async () => {
      const { registry, clock, log, notifier, reads, rows } = this.#parts;
      const valid = validateSyncRules(document);
      if (!valid.ok) return valid;
      if (registry.rules && JSON.stringify(registry.rules) === JSON.stringify(valid.value))
        return Ok(registry.rules);
      // A stamp after every logged entry: cursors up to now expire, later ones do not. With
      // nothing logged yet there is nothing a client could have received under the old rules.
      const since = log.head === HLC_ZERO ? undefined : clock.now();
      const set = await registry.setRules(valid.value, since);
      if (set.ok && since) notifier.rulesChanged(since, { reads, rows });
      return set;
    });
  }

  /**
   * Flushes the buffer now, table by table, to the target. Tables that were written (and
   * committed) leave the buffer; a table that failed stays, and automatic flushes back off
   * before retrying it. An empty buffer is a successful no-op.
   */
  flush(): Promise<Result<FlushReport | null, LakeSyncError>> {
    return this.#flusher.flush();
  }

  /**
   * When the next automatic flush is due (ms since the epoch), or `undefined` with nothing
   * buffered or automatic flushing off. Hosts use it to set a timer or an alarm.
   */
  nextFlushAt(): number | undefined {
    return this.#flusher.nextFlushAt();
  }

  /** Flushes if a threshold is passed, skipping tables that back off. Hosts call it often. */
  tick(): Promise<Result<FlushReport | null, LakeSyncError>> {
    return this.#flusher.tick();
  }

  /**
   * Calls `listener` after every group of pushes that logged something, with the change: build
   * each subscriber's message from it (`change.encodeFor(subscriber)`) while the listener runs.
   * Returns an unsubscribe function.
   */
  subscribe(listener: (change: RealtimeChange) => void): () => void {
    return this.#parts.notifier.subscribe(listener);
  }

  /** Counters for health checks and monitoring. */
  stats(): GatewayStats {
    const { buffer, log, rows, retention } = this.#parts;
    return {
      bufferedDeltas: buffer.length,
      bufferedBytes: buffer.byteSize,
      logEntries: log.length,
      rows: rows.size,
      lastFlushError: this.#flusher.lastError,
      lastLogRewriteError: retention.lastRewriteError,
    };
  }

  /**
   * Rewrites the store as the merged rows plus the retained log, so it stops growing with
   * history (a store without `rewrite` is left alone). Runs between pushes.
   */
  rewriteLog(): Promise<Result<void, LakeSyncError>> {
    const { store, rows, registry, retention } = this.#parts;
    return this.#pipeline.exclusive(() =>
      retention.rewrite(store, rows, this.#flusher.flushedThrough, registry.meta()),
    );
  }

  /**
   * Stops accepting pushes, waits for those in flight, flushes what is buffered when
   * `flush` is true (the default, if a target exists), and closes the store.
   */
  async close(options: { flush?: boolean } = {}): Promise<Result<void, LakeSyncError>> {
    await this.#pipeline.close();
    let result: Result<void, LakeSyncError> = Ok(undefined);
    if ((options.flush ?? true) && this.#hasTarget && this.#parts.buffer.length > 0) {
      const flushed = await this.flush();
      if (!flushed.ok) result = flushed;
    }
    await this.#flusher.idle();
    await this.#parts.store.close();
    this.#parts.notifier.clear();
    return result;
  }
}
