/**
 * @module sync/sync-coordinator
 * The sync loop: pull remote changes, then push the outbox, on a timer, on events and on demand.
 */
import {
  type HLC,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  parseHLC,
  type Result,
} from "@lakesync/core";
import type { LocalDB } from "../db/local-db.js";
import type { SyncQueue } from "../queue/sync-queue.js";
import type { SyncTransport } from "../transport/sync-transport.js";
import { applyRemoteChanges } from "./apply-remote.js";
import { type BackoffOptions, backoffDelay } from "./backoff.js";
import { CURSOR_KEY, type InitialSyncProgress, initialSync } from "./initial-sync.js";
import { listenToPage } from "./page-events.js";
import { pushOutbox, type RefusalEvent } from "./push-outbox.js";
import { RealtimeInbox } from "./realtime-inbox.js";
import { defaultScheduler, type Scheduler } from "./scheduler.js";
import { SchemaSynchroniser } from "./schema-synchroniser.js";

export type { InitialSyncProgress } from "./initial-sync.js";
export type { RefusalEvent } from "./push-outbox.js";
export type { Scheduler } from "./scheduler.js";

/** Where the coordinator is. */
export type SyncStatus = "idle" | "syncing" | "synced" | "offline" | "error";

/** A status change, with the outbox depth and the error that caused `offline`/`error`. */
export interface SyncStatusEvent {
  readonly status: SyncStatus;
  readonly outboxDepth: number;
  readonly error?: LakeSyncError;
}

/** Options for {@link SyncCoordinator}. */
export interface SyncCoordinatorOptions {
  readonly db: LocalDB;
  readonly queue: SyncQueue;
  readonly transport: SyncTransport;
  readonly clock: HLC;
  readonly clientId: string;
  /** Deltas per push request. Defaults to 500. */
  readonly pushBatchSize?: number;
  /** Deltas per pull page. Defaults to 1000. */
  readonly pullPageSize?: number;
  /** Interval of automatic syncs (ms). Defaults to 10000. */
  readonly intervalMs?: number;
  readonly backoff?: BackoffOptions;
  readonly scheduler?: Scheduler;
}

/**
 * Keeps a local database in sync with a gateway. Each cycle pulls every page of remote changes
 * (applied with column-level LWW), then pushes the outbox in batches; entries leave the outbox
 * only when the gateway acknowledged them. After any failure the next cycle is scheduled with
 * exponential backoff and jitter, and the outbox is retried until it drains: it never stalls.
 *
 * @example
 * const sync = new SyncCoordinator({ db, queue, transport, clock, clientId });
 * sync.onStatus((e) => console.log(e.status, e.outboxDepth));
 * sync.start();
 */
export class SyncCoordinator {
  readonly #o: Required<Omit<SyncCoordinatorOptions, "backoff">> & { backoff: BackoffOptions };
  readonly #listeners = new Set<(event: SyncStatusEvent) => void>();
  #running: Promise<Result<void, LakeSyncError>> | undefined;
  #again = false;
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

  /** The cursor of the last completed pull. */
  lastSyncedHlc(): HLCTimestamp {
    const stored = this.#o.db.getMeta(CURSOR_KEY);
    if (!stored.ok || stored.value === undefined || stored.value === "") return HLC_ZERO;
    const parsed = parseHLC(stored.value);
    return parsed.ok ? parsed.value : HLC_ZERO;
  }

  /**
   * Runs one sync cycle now (or joins the one under way, and runs one more after it so that
   * writes made meanwhile are pushed). Resolves with the cycle's outcome; never rejects.
   */
  syncNow(): Promise<Result<void, LakeSyncError>> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#cycle().finally(() => {
      this.#running = undefined;
      if (this.#inbox.drain()) this.#again = true;
      if (this.#again) {
        this.#again = false;
        void this.syncNow();
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
      { clientId: this.#o.clientId },
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

  async #cycle(): Promise<Result<void, LakeSyncError>> {
    await this.#emit("syncing");
    const prepared = await this.#prepare();
    const pulled = prepared.ok ? await this.#pull() : prepared;
    const result = pulled.ok ? await this.#push() : pulled;
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
    this.#schedule();
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
    for (;;) {
      const page = await transport.pull({
        clientId,
        sinceHlc: this.lastSyncedHlc(),
        maxDeltas: pullPageSize,
      });
      if (!page.ok) {
        // The gateway no longer holds our cursor: start again from a checkpoint.
        if (page.error.code === "CURSOR_EXPIRED") {
          const reset = db.setMeta(CURSOR_KEY, "");
          if (!reset.ok) return reset;
          const restarted = await this.#initialSync(true);
          if (!restarted.ok) return restarted;
          continue;
        }
        return page;
      }
      const seen = clock.recv(page.value.serverHlc);
      if (!seen.ok) return seen;
      const applied = applyRemoteChanges(db, page.value, page.value.serverHlc);
      if (!applied.ok) {
        // A table or column we do not know yet: fetch the schemas on the next cycle.
        if (applied.error.code === "SCHEMA_MISMATCH") this.#schemasDirty = true;
        return applied;
      }
      if (!page.value.hasMore || page.value.deltas.length === 0) return Ok(undefined);
    }
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

  #schedule(): void {
    if (!this.#started) return;
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
