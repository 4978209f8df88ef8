/**
 * @module notify/notifier
 * Telling realtime subscribers that new deltas were logged.
 */
import type { HLCTimestamp } from "@lakesync/core";
import { RealtimeChange, type RealtimeChangeParts } from "./realtime-change.js";

/** Listeners of a gateway's accepted pushes; a failing listener never affects the push. */
export class Notifier {
  readonly #listeners = new Set<(change: RealtimeChange) => void>();

  /** Whether anyone listens (so a change is only built when needed). */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (change: RealtimeChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hands `change` to every listener. */
  notify(change: RealtimeChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A failing listener must not break the push that already succeeded.
      }
    }
  }

  /** Builds the change of newly logged entries and hands it out, if anyone listens. */
  logged(parts: RealtimeChangeParts): void {
    if (this.listening) this.notify(new RealtimeChange(parts));
  }

  /**
   * Tells every subscriber the sync rules changed at `at`: a bare "changed" (no message can
   * carry a rules change), so each pulls, meets `CURSOR_EXPIRED` and re-syncs under the new rules.
   */
  rulesChanged(at: HLCTimestamp, parts: Pick<RealtimeChangeParts, "reads" | "rows">): void {
    this.logged({ ...parts, sinceHlc: at, serverHlc: at, entries: [], now: Date.now, bare: true });
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
