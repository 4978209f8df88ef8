/**
 * @module sync/sync-options
 * What a sync loop is given and what it reports: its options, a cycle's options, its status.
 */
import type { HLC, LakeSyncError } from "@lakesync/core";
import type { LocalDB } from "../db/local-db.js";
import type { SyncQueue } from "../queue/sync-queue.js";
import type { SyncTransport } from "../transport/sync-transport.js";
import type { BackoffOptions } from "./backoff.js";
import type { Scheduler } from "./scheduler.js";

/** Where the coordinator is. */
export type SyncStatus = "idle" | "syncing" | "synced" | "offline" | "error";

/** A status change, with the outbox depth and the error that caused `offline`/`error`. */
export interface SyncStatusEvent {
  readonly status: SyncStatus;
  readonly outboxDepth: number;
  readonly error?: LakeSyncError;
}

/** Options for `SyncCoordinator`. */
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

/** Options of `SyncCoordinator.syncNow`. */
export interface SyncNowOptions {
  /**
   * The cycle is for a local write: push first, then pull only if the replica may be behind —
   * its realtime subscription is not live, or a message since the last pull was not applied
   * cleanly (a gap, a bare "changed"). While it is current, messages keep it so and the pull is
   * skipped. Without this option a cycle pulls, then pushes.
   */
  readonly afterWrite?: boolean;
}
