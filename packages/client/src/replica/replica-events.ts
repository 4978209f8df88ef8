/**
 * @module replica/replica-events
 * What a tab hears of the shared replica's host: its sync status (the last one kept), refused
 * writes and initial-sync progress, handed to the tab's listeners.
 */

import type { InitialSyncProgress, RefusalEvent } from "../sync/sync-coordinator.js";
import type { SyncStatusEvent } from "../sync/sync-options.js";

/** A tab's listeners of its host's events. */
export class ReplicaEvents {
  readonly #status = new Set<(event: SyncStatusEvent) => void>();
  readonly #refused = new Set<(event: RefusalEvent) => void>();
  readonly #progress = new Set<(event: InitialSyncProgress) => void>();
  #last: SyncStatusEvent | undefined;

  /** The last status the host reported. */
  get last(): SyncStatusEvent | undefined {
    return this.#last;
  }

  /** Adds a status listener; returns the function that removes it. */
  onStatus(listener: (event: SyncStatusEvent) => void): () => void {
    this.#status.add(listener);
    return () => this.#status.delete(listener);
  }

  /** Adds a refused-write listener; returns the function that removes it. */
  onRefused(listener: (event: RefusalEvent) => void): () => void {
    this.#refused.add(listener);
    return () => this.#refused.delete(listener);
  }

  /** Adds a progress listener; returns the function that removes it. */
  onProgress(listener: (event: InitialSyncProgress) => void): () => void {
    this.#progress.add(listener);
    return () => this.#progress.delete(listener);
  }

  /** Keeps `event` as the last status and tells the listeners. */
  emitStatus(event: SyncStatusEvent): void {
    this.#last = event;
    for (const listener of this.#status) listener(event);
  }

  /** Tells the listeners of a host event (`refused` or `progress`). */
  emit(name: "refused" | "progress", event: unknown): void {
    if (name === "refused") for (const l of this.#refused) l(event as RefusalEvent);
    else for (const l of this.#progress) l(event as InitialSyncProgress);
  }
}
