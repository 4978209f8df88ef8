/**
 * @module sync/sync-coordinator
 * The sync loop: pull remote changes, then push the outbox, on a timer, on events and on demand;
 * after a local write, push first and pull only when the replica may be behind (ADR-018).
 */
import { type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type BackoffOptions, backoffDelay } from "./backoff.js";
import { CURSOR_KEY, type InitialSyncProgress, initialSync } from "./initial-sync.js";
import { listenToPage } from "./page-events.js";
import { pullChanges, readCursor } from "./pull-changes.js";
import { pushOutbox, type RefusalEvent } from "./push-outbox.js";
import { RealtimeInbox } from "./realtime-inbox.js";
import { defaultScheduler } from "./scheduler.js";
import { SchemaSynchroniser } from "./schema-synchroniser.js";
import type {
  SyncCoordinatorOptions,
  SyncNowOptions,
  SyncStatus,
  SyncStatusEvent,
} from "./sync-options.js";

export type { InitialSyncProgress } from "./initial-sync.js";
export type { RefusalEvent } from "./push-outbox.js";
export type { Scheduler } from "./scheduler.js";
export type {
  SyncCoordinatorOptions,
  SyncNowOptions,
  SyncStatus,
  SyncStatusEvent,
} from "./sync-options.js";

/**
 * Keeps a local database in sync with a gateway. Each cycle pulls every page of remote changes
 * (applied with column-level LWW), then pushes the outbox in batches (after a local write it
 * pushes first, see {@link SyncNowOptions}); entries leave the outbox only when the gateway
 * acknowledged them. Realtime messages that follow on the cursor are applied as they arrive.
 * After any failure the next cycle is scheduled with exponential backoff and jitter, and the
 * outbox is retried until it drains: it never stalls.
 *
 * @example
 * const sync = new SyncCoordinator({ db, queue, transport, clock, clientId });
 * sync.onStatus((e) => console.log(e.status, e.outboxDepth));
 * sync.start();
 * // After a local write: push it at once (no pull while realtime keeps the replica current).
 * await tracker.insert("todos", { id: "t1", title: "Milk" });
 * void sync.syncNow({ afterWrite: true });
 */
export class SyncCoordinator {
  readonly #o: Required<Omit<SyncCoordinatorOptions, "backoff">> & { backoff: BackoffOptions };
  readonly #listeners = new Set<(event: SyncStatusEvent) => void>();
  #running: Promise<Result<void, LakeSyncError>> | undefined;
  #again = false;
  /** Whether a call that joined the cycle under way asked for a pull. */
  #againPulls = false;
  #timer: unknown;
  #started = false;
  #failures = 0;
  #status: SyncStatus = "idle";
  #unsubscribe: (() => void) | undefined;
  #removeListeners: (() => void) | undefined;
  readonly #progress = new Set<(progress: InitialSyncProgress) => void>();
  readonly #refusals = new Set<(event: RefusalEvent) => void>();
  readonly #schemas: SchemaSynchroniser;
  #schemasDirty = true;
  readonly #inbox: RealtimeInbox;

  constructor(options: SyncCoordinatorOptions) {
    this.#o = {
      pushBatchSize: 500,
      pullPageSize: 1_000,
      intervalMs: 10_000,
      scheduler: defaultScheduler,
      backoff: {},
      ...options,
    };
    this.#schemas = new SchemaSynchroniser(options.db, options.transport);
    this.#inbox = new RealtimeInbox({
      db: options.db,
      clock: options.clock,
      schemaMismatch: () => {
        this.#schemasDirty = true;
      },
    });
  }

  /** Subscribes to initial-sync progress; returns a function that unsubscribes. */
  onProgress(listener: (progress: InitialSyncProgress) => void): () => void {
    this.#progress.add(listener);
    return () => this.#progress.delete(listener);
  }

  /**
   * Subscribes to refused writes: deltas the gateway's write rules did not allow. They have left
   * the outbox and their rows were put back to the gateway's version before this is called.
   * Returns a function that unsubscribes.
   */
  onRefused(listener: (event: RefusalEvent) => void): () => void {
    this.#refusals.add(listener);
    return () => this.#refusals.delete(listener);
  }

  /** The current status. */
  get status(): SyncStatus {
    return this.#status;
  }

  /** Subscribes to status changes; returns a function that unsubscribes. */
  onStatus(listener: (event: SyncStatusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The replica's pull cursor: where the last pull or applied realtime message left it. */
  lastSyncedHlc(): HLCTimestamp {
    return readCursor(this.#o.db);
  }

  /**
   * Runs one sync cycle now (or joins the one under way, and runs one more after it so that
   * writes made meanwhile are pushed). A cycle pulls, then pushes; with `afterWrite` it pushes
   * first and pulls only when the replica may be behind (see {@link SyncNowOptions}). Resolves
   * with the cycle's outcome; never rejects.
   */
  syncNow(options: SyncNowOptions = {}): Promise<Result<void, LakeSyncError>> {
    const afterWrite = options.afterWrite === true;
    if (this.#running) {
      this.#again = true;
      this.#againPulls ||= !afterWrite;
      return this.#running;
    }
    this.#running = this.#cycle(afterWrite).finally(() => {
      this.#running = undefined;
      if (this.#inbox.drain()) {
        this.#again = true;
        this.#againPulls = true;
      }
      if (this.#again) {
        const again = { afterWrite: !this.#againPulls };
        this.#again = false;
        this.#againPulls = false;
        void this.syncNow(again);
      }
    });
    return this.#running;
  }

  /**
   * Starts automatic sync: now, on the interval, on realtime messages and when online. A
   * realtime message that carries deltas following on the cursor is applied at once (after the
   * cycle under way, if any); any other starts a cycle.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = this.#o.transport.subscribe?.(
      (notification) => {
        if (this.#inbox.receive(notification, this.#running !== undefined)) void this.syncNow();
      },
      { clientId: this.#o.clientId, onConnection: (live) => this.#inbox.connection(live) },
    );
    this.#removeListeners = listenToPage(() => void this.syncNow());
    void this.syncNow();
  }

  /** Stops automatic sync; a cycle under way finishes. */
  stop(): void {
    this.#started = false;
    if (this.#timer !== undefined) this.#o.scheduler.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#removeListeners?.();
  }

  /**
   * One cycle: pull, then push; after a write, push, then pull only if the replica was not
   * current when the cycle began or stopped being so meanwhile.
   */
  async #cycle(afterWrite: boolean): Promise<Result<void, LakeSyncError>> {
    await this.#emit("syncing");
    const wasCurrent = this.#inbox.current;
    let result = await this.#prepare();
    if (result.ok && !afterWrite) result = await this.#pull();
    if (result.ok) result = await this.#push();
    const pullsAfter = afterWrite && !(wasCurrent && this.#inbox.current);
    if (result.ok && pullsAfter) result = await this.#pull();
    if (result.ok) {
      this.#failures = 0;
      await this.#emit("synced");
    } else {
      this.#failures++;
      const offline =
        (result.error as { status?: number }).status === undefined &&
        result.error.code === "TRANSPORT_ERROR";
      await this.#emit(offline ? "offline" : "error", result.error);
    }
    this.#schedule(!afterWrite || pullsAfter);
    return result;
  }

  /**
   * Before pulling: applies the gateway's schemas (on the first cycle, and again after a schema
   * error), then, for a client that has never synced, downloads a checkpoint.
   */
  async #prepare(): Promise<Result<void, LakeSyncError>> {
    if (this.#schemasDirty) {
      const synced = await this.#schemas.synchronise();
      if (!synced.ok) return synced;
      this.#schemasDirty = false;
    }
    const stored = this.#o.db.getMeta(CURSOR_KEY);
    if (!stored.ok) return stored;
    if (stored.value !== undefined && stored.value !== "") return Ok(undefined);
    return this.#initialSync();
  }

  /** Starts the replica from a checkpoint (see `initialSync`); `reset` empties it first. */
  #initialSync(reset = false): Promise<Result<void, LakeSyncError>> {
    const { db, queue, transport, clock } = this.#o;
    return initialSync(
      {
        db,
        queue,
        transport,
        clock,
        progress: (progress) => {
          for (const listener of this.#progress) listener(progress);
        },
      },
      reset,
    );
  }

  async #pull(): Promise<Result<void, LakeSyncError>> {
    const { transport, clientId, pullPageSize, db, clock } = this.#o;
    this.#inbox.pullStarted();
    const pulled = await pullChanges({
      db,
      transport,
      clock,
      clientId,
      pageSize: pullPageSize,
      restart: () => this.#initialSync(true),
    });
    this.#inbox.pullEnded(pulled.ok);
    // A table or column we do not know yet: fetch the schemas on the next cycle.
    if (!pulled.ok && pulled.error.code === "SCHEMA_MISMATCH") this.#schemasDirty = true;
    return pulled;
  }

  #push(): Promise<Result<void, LakeSyncError>> {
    const { db, queue, transport, clock, clientId, pushBatchSize } = this.#o;
    return pushOutbox({
      db,
      queue,
      transport,
      clock,
      clientId,
      batchSize: pushBatchSize,
      cursor: () => this.lastSyncedHlc(),
      refused: (event) => {
        for (const listener of this.#refusals) listener(event);
      },
    });
  }

  /**
   * Sets the next automatic cycle. A cycle that did not pull keeps the pending one: writes in
   * quick succession must not put the timer's pull off for ever.
   */
  #schedule(pulled: boolean): void {
    if (!this.#started) return;
    if (!pulled && this.#failures === 0 && this.#timer !== undefined) return;
    if (this.#timer !== undefined) this.#o.scheduler.clearTimeout(this.#timer);
    const delay =
      this.#failures === 0 ? this.#o.intervalMs : backoffDelay(this.#failures, this.#o.backoff);
    this.#timer = this.#o.scheduler.setTimeout(() => {
      this.#timer = undefined;
      void this.syncNow();
    }, delay);
  }

  async #emit(status: SyncStatus, error?: LakeSyncError): Promise<void> {
    this.#status = status;
    const depth = await this.#o.queue.depth();
    const event: SyncStatusEvent = {
      status,
      outboxDepth: depth.ok ? depth.value : -1,
      ...(error ? { error } : {}),
    };
    for (const listener of this.#listeners) listener(event);
  }
}
