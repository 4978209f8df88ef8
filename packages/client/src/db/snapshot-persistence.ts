/**
 * @module db/snapshot-persistence
 * The persistence of an in-memory database: the whole database exported and written to a
 * snapshot store, debounced after changes and at once on `flush()`.
 */
import { Ok, type Result } from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import type { SnapshotStore } from "./snapshot-store.js";
import type { Persistence } from "./sql-engine.js";

/** Options for {@link SnapshotPersistence}. */
export interface SnapshotPersistenceOptions {
  /** The snapshot's key. */
  readonly name: string;
  readonly store: SnapshotStore;
  /** Exports the whole database (synchronously, so the snapshot holds every commit so far). */
  readonly exportDb: () => Uint8Array;
  /** Delay before a change is saved (ms); a slow last save makes it twice that save's time. */
  readonly debounceMs: number;
}

/**
 * Saves whole snapshots. A change is saved after the debounce; `flush()` saves at once, and
 * snapshots land in the order they were taken, even when saves overlap.
 */
export class SnapshotPersistence implements Persistence {
  readonly #options: SnapshotPersistenceOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #saving: Promise<Result<void, LocalDBError>> = Promise.resolve(Ok(undefined));
  #lastSaveMs = 0;
  #stopped = false;

  constructor(options: SnapshotPersistenceOptions) {
    this.#options = options;
  }

  /** True while changes wait for the debounced snapshot. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** Schedules a snapshot after the debounce, unless one is already scheduled. */
  changed(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    const delay = Math.max(this.#options.debounceMs, 2 * this.#lastSaveMs);
    this.#timer = setTimeout(() => void this.flush(), delay);
  }

  /** Exports a snapshot now and saves it, after any save already under way. */
  flush(): Promise<Result<void, LocalDBError>> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped) return this.#saving;
    const started = Date.now();
    const bytes = this.#options.exportDb();
    this.#saving = this.#saving.then(async () => {
      const saved = await this.#options.store.save(this.#options.name, bytes);
      this.#lastSaveMs = Date.now() - started;
      return saved;
    });
    return this.#saving;
  }

  /** Saves a last snapshot and stops saving (the database is about to close). */
  async close(): Promise<Result<void, LocalDBError>> {
    const saved = await this.flush();
    this.#stopped = true;
    return saved;
  }
}

/**
 * The persistence of a database whose every COMMIT is durable (page-level writes to OPFS):
 * nothing is ever pending, and `flush()` has nothing to wait for.
 */
export class CommitPersistence implements Persistence {
  readonly pending = false;

  changed(): void {}

  async flush(): Promise<Result<void, LocalDBError>> {
    return Ok(undefined);
  }

  async close(): Promise<Result<void, LocalDBError>> {
    return Ok(undefined);
  }
}
