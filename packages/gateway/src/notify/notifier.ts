/**
 * @module notify/notifier
 * Telling realtime subscribers that new deltas were logged.
 */
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

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
