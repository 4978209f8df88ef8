/**
 * @module gateway/sync-gateway
 * The runtime-neutral gateway: push, pull, checkpoints, flush and realtime notifications.
 */
import {
  applyToRowState,
  type Claims,
  deltaAllowed,
  EMPTY_ROW_STATE,
  Err,
  FlushError,
  HLC,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowKey,
  type RowState,
  rowKey,
  type SyncRules,
  type TableSchema,
  ValidationError,
  validateSyncRules,
} from "@lakesync/core";
import type {
  CheckpointChunk,
  SyncNotification,
  SyncPull,
  SyncPush,
  SyncResponse,
} from "@lakesync/proto";
import { DeltaBuffer, type FlushThresholds } from "../buffer/delta-buffer.js";
import { buildCheckpoint, DEFAULT_CHECKPOINT_BUDGET } from "../checkpoint/build-checkpoint.js";
import { rowStateToDeltas } from "../checkpoint/row-state-deltas.js";
import type { FlushTarget } from "../flush/flush-target.js";
import { type FlushReport, writeFlush } from "../flush/write-flush.js";
import { ChangeLog } from "../log/change-log.js";
import type { LogEntry } from "../log/log-entry.js";
import { SchemaManager, type SchemaSet } from "../schema/schema-manager.js";
import { RowIndex } from "../state/row-index.js";
import type { GatewayStore } from "../store/gateway-store.js";
import { MemoryGatewayStore } from "../store/memory-store.js";
import type { SyncGatewayOptions } from "./options.js";
import { Serial } from "./serial.js";

const META_RULES = "sync-rules";
const META_SCHEMAS = "schemas";

/** The acknowledgement of a push. */
export interface PushResult {
  /** The gateway's clock after the push; every pushed delta is durable. */
  readonly serverHlc: HLCTimestamp;
  /** Deltas that changed something (the rest were duplicates or already superseded). */
  readonly accepted: number;
}

/** Counters for monitoring. */
export interface GatewayStats {
  readonly bufferedDeltas: number;
  readonly bufferedBytes: number;
  readonly logEntries: number;
  readonly rows: number;
  readonly lastFlushError: string | undefined;
}

/**
 * One gateway: merges pushed deltas (column-level last writer wins against its row index),
 * makes them durable in its {@link GatewayStore} before acknowledging, serves them back to
 * pulls filtered by sync rules, serves checkpoints, and flushes them in batches to a lake or a
 * database. Pushes are handled one at a time, so the log is always in sequence order.
 * Nothing here throws: every failure is an `Err` with a stable code.
 */
export class SyncGateway {
  readonly gatewayId: string;
  readonly #store: GatewayStore;
  readonly #target: FlushTarget | undefined;
  readonly #now: () => number;
  readonly #clock: HLC;
  readonly #rows = new RowIndex();
  readonly #log = new ChangeLog();
  readonly #buffer = new DeltaBuffer();
  readonly #schemas: SchemaManager;
  readonly #pushes = new Serial();
  readonly #waiting: { push: SyncPush; resolve: (r: Result<PushResult, LakeSyncError>) => void }[] =
    [];
  #drainQueued = false;
  readonly #flushes = new Serial();
  readonly #listeners = new Set<(n: SyncNotification) => void>();
  readonly #thresholds: FlushThresholds | undefined;
  readonly #flushOnPush: boolean;
  readonly #retryBase: number;
  readonly #retryMax: number;
  readonly #maxPush: number;
  readonly #maxPull: number;
  readonly #defaultPull: number;
  readonly #retention: number;
  readonly #compactEvery: number;
  #trimmedSinceCompaction = 0;
  readonly #budget: number;
  #rules: SyncRules | undefined;
  #failures = 0;
  #retryAt = 0;
  #lastFlushError: string | undefined;
  #flushedThrough: HLCTimestamp;
  #closed = false;

  private constructor(
    options: SyncGatewayOptions,
    store: GatewayStore,
    last: HLCTimestamp | undefined,
    flushedThrough: HLCTimestamp,
    schemas: SchemaManager,
  ) {
    this.gatewayId = options.gatewayId;
    this.#store = store;
    this.#target = options.target;
    this.#now = options.now ?? Date.now;
    this.#clock = new HLC({
      wallClock: this.#now,
      ...(options.maxDriftMs === undefined ? {} : { maxDriftMs: options.maxDriftMs }),
      ...(last === undefined ? {} : { last }),
    });
    this.#schemas = schemas;
    this.#flushedThrough = flushedThrough;
    const auto = options.autoFlush;
    this.#thresholds =
      auto === false
        ? undefined
        : { maxBytes: auto?.maxBytes ?? 4 * 1024 * 1024, maxAgeMs: auto?.maxAgeMs ?? 30_000 };
    this.#flushOnPush = auto === false ? false : (auto?.onPush ?? true);
    this.#retryBase = options.retry?.baseMs ?? 1_000;
    this.#retryMax = options.retry?.maxMs ?? 60_000;
    this.#maxPush = options.maxPushDeltas ?? 10_000;
    this.#maxPull = options.maxPullDeltas ?? 10_000;
    this.#defaultPull = Math.min(options.defaultPullDeltas ?? 1_000, this.#maxPull);
    this.#retention = options.logRetention ?? 1_000_000;
    this.#compactEvery = options.compactAfterTrimmed ?? 100_000;
    this.#budget = options.checkpointBudgetBytes ?? DEFAULT_CHECKPOINT_BUDGET;
    this.#rules = options.syncRules;
  }

  /**
   * Opens a gateway over its store: replays every durable entry into the row index, the pull
   * log and (when not yet flushed) the buffer, and restores sync rules and schemas.
   */
  static async open(options: SyncGatewayOptions): Promise<Result<SyncGateway, LakeSyncError>> {
    if (typeof options.gatewayId !== "string" || options.gatewayId.length === 0)
      return Err(new ValidationError("gatewayId must be a non-empty string"));
    const store = options.store ?? new MemoryGatewayStore();
    const loaded = await store.load();
    if (!loaded.ok) return loaded;
    const { entries, flushedThrough, meta } = loaded.value;
    let schemaSet: SchemaSet | undefined;
    const schemaText = meta.get(META_SCHEMAS);
    if (schemaText !== undefined) {
      try {
        schemaSet = JSON.parse(schemaText) as SchemaSet;
      } catch (cause) {
        return Err(new LakeSyncError("STORE_CORRUPT", "stored schemas are not JSON", { cause }));
      }
    }
    const schemas = new SchemaManager(options.schemaPolicy ?? "strict", schemaSet);
    const last = entries[entries.length - 1]?.seq;
    const gateway = new SyncGateway(options, store, last, flushedThrough, schemas);
    const rulesText = meta.get(META_RULES);
    if (rulesText !== undefined) {
      let document: unknown;
      try {
        document = JSON.parse(rulesText);
      } catch (cause) {
        return Err(new LakeSyncError("STORE_CORRUPT", "stored sync rules are not JSON", { cause }));
      }
      const rules = validateSyncRules(document);
      if (!rules.ok) return rules;
      gateway.#rules = rules.value;
    }
    const now = gateway.#now();
    for (const delta of loaded.value.rows ?? []) gateway.#rows.apply(delta);
    if (loaded.value.horizon !== undefined) gateway.#log.restoreHorizon(loaded.value.horizon);
    for (const entry of entries) gateway.#rows.apply(entry.delta);
    gateway.#log.append(entries);
    gateway.#buffer.append(
      entries.filter((e) => e.seq > flushedThrough),
      now,
    );
    gateway.#trimLog();
    return Ok(gateway);
  }

  /**
   * Accepts a push: checks the batch (size, client ids, schemas, clock drift), merges each
   * delta against the row index, makes the ones that change something durable, then
   * acknowledges. Duplicates and superseded deltas are acknowledged without being logged again,
   * so a re-push is a no-op. On any `Err` nothing was applied.
   */
  handlePush(push: SyncPush, _claims: Claims = {}): Promise<Result<PushResult, LakeSyncError>> {
    return new Promise((resolve) => {
      this.#waiting.push({ push, resolve });
      if (this.#drainQueued) return;
      this.#drainQueued = true;
      void this.#pushes.run(() => this.#drain());
    });
  }

  /**
   * Group commit: every push that arrived while the previous group was being made durable is
   * merged in arrival order and stored with one `append` (one fsync), then each is acknowledged.
   * If the store fails, none of the group is applied or acknowledged.
   */
  async #drain(): Promise<void> {
    this.#drainQueued = false;
    const group = this.#waiting.splice(0);
    const overlay = new Map<RowKey, { table: string; rowId: string; state: RowState }>();
    const accepted: LogEntry[] = [];
    const members: { resolve: (r: Result<PushResult, LakeSyncError>) => void; count: number }[] =
      [];
    let schemasChanged = false;
    for (const { push, resolve } of group) {
      const checked = this.#check(push);
      if (!checked.ok) {
        resolve(checked);
        continue;
      }
      schemasChanged ||= checked.value;
      let count = 0;
      for (const delta of push.deltas) {
        const key = rowKey(delta.table, delta.rowId);
        const before =
          overlay.get(key)?.state ?? this.#rows.get(delta.table, delta.rowId) ?? EMPTY_ROW_STATE;
        const after = applyToRowState(before, delta);
        if (after === before) continue;
        overlay.set(key, { table: delta.table, rowId: delta.rowId, state: after });
        accepted.push({ seq: this.#clock.now(), delta });
        count++;
      }
      members.push({ resolve, count });
    }
    if (schemasChanged) {
      const saved = await this.#store.putMeta(
        META_SCHEMAS,
        JSON.stringify(this.#schemas.snapshot()),
      );
      if (!saved.ok) {
        for (const m of members) m.resolve(saved);
        return;
      }
    }
    if (accepted.length > 0) {
      const durable = await this.#store.append(accepted);
      if (!durable.ok) {
        const error = new LakeSyncError(
          "STORE_UNAVAILABLE",
          `could not make the push durable: ${durable.error.message}`,
          { cause: durable.error },
        );
        for (const m of members) m.resolve(Err(error));
        return;
      }
      for (const { table, rowId, state } of overlay.values()) this.#rows.set(table, rowId, state);
      this.#log.append(accepted);
      this.#buffer.append(accepted, this.#now());
      this.#notify(accepted);
      if (
        this.#flushOnPush &&
        this.#thresholds &&
        this.#buffer.byteSize >= this.#thresholds.maxBytes
      )
        void this.tick();
    }
    const serverHlc = this.#clock.now();
    for (const m of members) m.resolve(Ok({ serverHlc, accepted: m.count }));
  }

  /** Checks one push (size, client ids, schemas, drift); `Ok(true)` when schemas grew. */
  #check(push: SyncPush): Result<boolean, LakeSyncError> {
    if (this.#closed)
      return Err(new LakeSyncError("GATEWAY_CLOSED", "the gateway is shutting down"));
    if (push.deltas.length > this.#maxPush)
      return Err(
        new LakeSyncError(
          "TOO_MANY_DELTAS",
          `a push may carry at most ${this.#maxPush} deltas, got ${push.deltas.length}`,
        ),
      );
    for (const delta of push.deltas) {
      if (delta.clientId !== push.clientId)
        return Err(
          new ValidationError(
            `delta ${delta.deltaId} has clientId "${delta.clientId}" but was pushed by "${push.clientId}"`,
          ),
        );
      if (delta.op !== "DELETE" && delta.columns.length === 0)
        return Err(new ValidationError(`delta ${delta.deltaId} (${delta.op}) carries no columns`));
    }
    // The drift check only needs the newest stamp of the batch; it runs before the schema check
    // so a refused push never grows the schemas (advancing the clock is harmless).
    let newest: HLCTimestamp | undefined;
    for (const delta of push.deltas)
      if (newest === undefined || delta.hlc > newest) newest = delta.hlc;
    if (newest !== undefined) {
      const seen = this.#clock.recv(newest);
      if (!seen.ok) return Err(seen.error);
    }
    return this.#schemas.check(push.deltas);
  }

  /**
   * Returns the deltas logged after `sinceHlc` that the caller's sync rules grant, at most
   * `maxDeltas` (0 for the default page). `serverHlc` is the cursor for the next pull. A
   * cursor older than the retained log is `Err(CURSOR_EXPIRED)`: start from a checkpoint.
   */
  async handlePull(
    pull: SyncPull,
    claims: Claims = {},
  ): Promise<Result<SyncResponse, LakeSyncError>> {
    if (pull.sinceHlc < this.#log.horizon)
      return Err(
        new LakeSyncError(
          "CURSOR_EXPIRED",
          `cursor ${pull.sinceHlc} is older than the retained log (${this.#log.horizon}); start again from a checkpoint`,
        ),
      );
    const max = pull.maxDeltas === 0 ? this.#defaultPull : Math.min(pull.maxDeltas, this.#maxPull);
    const rules = this.#rules;
    const lookupRow = (table: string, rowId: string) => this.#rows.values(table, rowId);
    const page = this.#log.read(pull.sinceHlc, max, (entry) =>
      rules ? deltaAllowed(entry.delta, rules, claims, { lookupRow }) : true,
    );
    return Ok({
      deltas: page.entries.map((e) => e.delta),
      serverHlc: page.cursor,
      hasMore: page.hasMore,
    });
  }

  /**
   * A snapshot of every row the caller may see, as chunks for an initial sync; pull from the
   * chunks' `snapshotHlc` afterwards. Built from the merged row index, filtered by sync rules.
   */
  async checkpoint(
    claims: Claims = {},
    options: { budgetBytes?: number } = {},
  ): Promise<Result<readonly CheckpointChunk[], LakeSyncError>> {
    const budget = options.budgetBytes ?? this.#budget;
    if (!Number.isFinite(budget) || budget < 1024)
      return Err(new ValidationError("the checkpoint budget must be at least 1024 bytes"));
    const rules = this.#rules;
    const allowed = (table: string, rowId: string) =>
      !rules ||
      deltaAllowed(
        { op: "UPDATE", table, rowId, clientId: "", columns: [], hlc: this.#log.head, deltaId: "" },
        rules,
        claims,
        { lookupRow: (t, r) => this.#rows.values(t, r) },
      );
    return Ok(buildCheckpoint(this.#rows, this.#log.head, allowed, budget));
  }

  /** The cursor a checkpoint taken now would carry. */
  get head(): HLCTimestamp {
    return this.#log.head;
  }

  /** The current schemas, for clients. */
  schemas(): SchemaSet {
    return this.#schemas.snapshot();
  }

  /** Registers or grows a table schema (admin). `Err(SchemaError)` if invalid or not additive. */
  async setSchema(document: unknown): Promise<Result<SchemaSet, LakeSyncError>> {
    return this.#pushes.run(async () => {
      const changed = this.#schemas.register(document);
      if (!changed.ok) return changed;
      if (changed.value) {
        const saved = await this.#store.putMeta(
          META_SCHEMAS,
          JSON.stringify(this.#schemas.snapshot()),
        );
        if (!saved.ok) return saved;
      }
      return Ok(this.#schemas.snapshot());
    });
  }

  /** The schema of one table, if registered. */
  schemaOf(table: string): TableSchema | undefined {
    return this.#schemas.get(table);
  }

  /** The sync rules in force, if any. */
  get syncRules(): SyncRules | undefined {
    return this.#rules;
  }

  /** Replaces the sync rules (admin), after validating them; they are stored durably. */
  async setSyncRules(document: unknown): Promise<Result<SyncRules, LakeSyncError>> {
    const rules = validateSyncRules(document);
    if (!rules.ok) return rules;
    const saved = await this.#store.putMeta(META_RULES, JSON.stringify(rules.value));
    if (!saved.ok) return saved;
    this.#rules = rules.value;
    return Ok(rules.value);
  }

  /**
   * Flushes the buffer now: one file (lake) or one batch of upserts (database). On success the
   * flushed deltas leave the buffer; on failure they stay, and automatic flushes back off
   * exponentially before retrying. An empty buffer is a successful no-op.
   */
  flush(): Promise<Result<FlushReport | null, LakeSyncError>> {
    return this.#flushes.run(() => this.#flush());
  }

  async #flush(): Promise<Result<FlushReport | null, LakeSyncError>> {
    const target = this.#target;
    if (!target) return Err(new FlushError("this gateway has no flush target configured"));
    const entries = this.#buffer.drain();
    if (entries.length === 0) return Ok(null);
    const written = await writeFlush(
      target,
      this.gatewayId,
      entries,
      (t) => this.#schemas.get(t),
      new Date(this.#now()),
    );
    if (!written.ok) return this.#flushFailed(written.error);
    const through = written.value.through;
    const marked = await this.#store.markFlushed(through);
    if (!marked.ok) return this.#flushFailed(marked.error);
    this.#flushedThrough = through;
    this.#buffer.commit(through, this.#now());
    this.#trimLog();
    if (this.#store.compact && this.#trimmedSinceCompaction >= this.#compactEvery) {
      const compacted = await this.compact();
      if (!compacted.ok)
        this.#lastFlushError = `compaction failed (retried after the next flush): ${compacted.error.message}`;
    }
    this.#failures = 0;
    this.#retryAt = 0;
    this.#lastFlushError = undefined;
    return Ok(written.value);
  }

  #flushFailed(error: LakeSyncError): Result<never, LakeSyncError> {
    this.#failures++;
    const delay = Math.min(this.#retryMax, this.#retryBase * 2 ** Math.min(this.#failures - 1, 20));
    this.#retryAt = this.#now() + delay;
    this.#lastFlushError = error.message;
    return Err(
      error instanceof FlushError ? error : new FlushError(error.message, { cause: error }),
    );
  }

  /**
   * When the next automatic flush is due (ms since the epoch), or `undefined` with nothing
   * buffered or automatic flushing off. Hosts use it to set a timer or an alarm.
   */
  nextFlushAt(): number | undefined {
    if (!this.#thresholds || this.#buffer.length === 0 || !this.#target) return undefined;
    const now = this.#now();
    const byAge = (this.#buffer.oldestAt ?? now) + this.#thresholds.maxAgeMs;
    const due = this.#buffer.shouldFlush(this.#thresholds, now) ? now : byAge;
    return Math.max(due, this.#retryAt);
  }

  /** Flushes if a threshold is passed and no retry back-off is pending. Hosts call it often. */
  async tick(): Promise<Result<FlushReport | null, LakeSyncError>> {
    const now = this.#now();
    if (!this.#thresholds || !this.#target || now < this.#retryAt) return Ok(null);
    if (!this.#buffer.shouldFlush(this.#thresholds, now)) return Ok(null);
    return this.flush();
  }

  /** Calls `listener` after every push that logged something. Returns an unsubscribe function. */
  subscribe(listener: (notification: SyncNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Counters for health checks and monitoring. */
  stats(): GatewayStats {
    return {
      bufferedDeltas: this.#buffer.length,
      bufferedBytes: this.#buffer.byteSize,
      logEntries: this.#log.length,
      rows: this.#rows.size,
      lastFlushError: this.#lastFlushError,
    };
  }

  /**
   * Stops accepting pushes, waits for those in flight, flushes what is buffered when
   * `flush` is true (the default, if a target exists), and closes the store.
   */
  async close(options: { flush?: boolean } = {}): Promise<Result<void, LakeSyncError>> {
    this.#closed = true;
    await this.#pushes.run(async () => undefined);
    let result: Result<void, LakeSyncError> = Ok(undefined);
    if ((options.flush ?? true) && this.#target && this.#buffer.length > 0) {
      const flushed = await this.flush();
      if (!flushed.ok) result = flushed;
    }
    await this.#flushes.run(async () => undefined);
    await this.#store.close();
    this.#listeners.clear();
    return result;
  }

  #notify(entries: readonly LogEntry[]): void {
    if (this.#listeners.size === 0) return;
    const tables = [...new Set(entries.map((e) => e.delta.table))];
    const last = entries[entries.length - 1];
    const notification: SyncNotification = {
      serverHlc: last ? last.seq : this.#log.head,
      tables,
      deltas: [],
    };
    for (const listener of this.#listeners) {
      try {
        listener(notification);
      } catch {
        // A failing listener must not break the push that already succeeded.
      }
    }
  }

  #trimLog(): void {
    const excess = this.#log.length - this.#retention;
    if (excess <= 0) return;
    let through: HLCTimestamp | undefined;
    let count = 0;
    for (const entry of this.#log.after(this.#log.horizon)) {
      if (count >= excess || entry.seq > this.#flushedThrough) break;
      through = entry.seq;
      count++;
    }
    if (through !== undefined) {
      this.#log.trim(through);
      this.#trimmedSinceCompaction += count;
    }
  }

  /**
   * Rewrites the store as the merged rows plus the retained log, so it stops growing with
   * history (a store without `compact` is left alone). Runs between pushes.
   */
  compact(): Promise<Result<void, LakeSyncError>> {
    return this.#pushes.run(async () => {
      const compact = this.#store.compact?.bind(this.#store);
      if (!compact) return Ok(undefined);
      const rows: RowDelta[] = [];
      for (const { table, rowId, state } of this.#rows.entries())
        for (const delta of rowStateToDeltas(table, rowId, state, { ids: false })) rows.push(delta);
      const entries = [...this.#log.after(this.#log.horizon)];
      const meta = new Map<string, string>();
      if (this.#rules) meta.set(META_RULES, JSON.stringify(this.#rules));
      meta.set(META_SCHEMAS, JSON.stringify(this.#schemas.snapshot()));
      const done = await compact({
        rows,
        entries,
        horizon: this.#log.horizon,
        flushedThrough: this.#flushedThrough,
        meta,
      });
      if (done.ok) this.#trimmedSinceCompaction = 0;
      return done;
    });
  }
}
