/**
 * @module db/watchers
 * The queries a `LocalDB` re-runs when a table they read changes.
 */

interface Watcher {
  readonly tables: ReadonlySet<string>;
  readonly run: () => void;
}

/** Watched queries, each with the (lower-cased) tables it reads. */
export class Watchers {
  readonly #watchers = new Set<Watcher>();

  /** Runs `run` now and after every change to one of `tables`; returns a function that stops. */
  add(tables: readonly string[], run: () => void): () => void {
    const watcher: Watcher = { tables: new Set(tables.map((t) => t.toLowerCase())), run };
    this.#watchers.add(watcher);
    run();
    return () => this.#watchers.delete(watcher);
  }

  /** Re-runs, once each, the watchers that read a changed table. */
  notify(changed: ReadonlySet<string>): void {
    for (const watcher of this.#watchers) {
      for (const table of changed) {
        if (watcher.tables.has(table)) {
          watcher.run();
          break;
        }
      }
    }
  }

  /** Stops every watcher. */
  clear(): void {
    this.#watchers.clear();
  }
}
