/**
 * @module notify/notifier
 * Telling realtime subscribers that new deltas were logged.
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { SyncNotification } from "@lakesync/proto";
import type { LogEntry } from "../log/log-entry.js";

/** Listeners of a gateway's accepted pushes; a failing listener never affects the push. */
export class Notifier {
  readonly #listeners = new Set<(n: SyncNotification) => void>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (notification: SyncNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Notifies every listener of `entries` (non-empty), naming their tables and newest seq. */
  notify(entries: readonly LogEntry[], head: HLCTimestamp): void {
    if (this.#listeners.size === 0) return;
    const tables = [...new Set(entries.map((e) => e.delta.table))];
    const last = entries[entries.length - 1];
    const notification: SyncNotification = {
      serverHlc: last ? last.seq : head,
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

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
