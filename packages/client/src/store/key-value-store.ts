/**
 * @module store/key-value-store
 * Small values a client keeps between sessions (its client id, the signed-in user, a cached
 * token), in IndexedDB: web storage is never used, because it is synchronous, not available in
 * workers and not transactional.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type IDBPDatabase, openDB } from "idb";
import { LocalDBError } from "../errors.js";

/** String values by key; every operation is atomic. */
export interface KeyValueStore {
  /** The value, or `undefined` when the key is absent. */
  get(key: string): Promise<Result<string | undefined, LakeSyncError>>;
  /** Sets the value. */
  set(key: string, value: string): Promise<Result<void, LakeSyncError>>;
  /** Removes the key (absent keys are ignored). */
  delete(key: string): Promise<Result<void, LakeSyncError>>;
  /**
   * Stores `value` unless the key already has one, in one transaction, and returns the value
   * the key holds afterwards: two callers racing get the same answer.
   */
  putIfAbsent(key: string, value: string): Promise<Result<string, LakeSyncError>>;
}

/** A {@link KeyValueStore} in memory, for tests and for clients that keep nothing. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, string>();

  async get(key: string): Promise<Result<string | undefined, LakeSyncError>> {
    return Ok(this.#values.get(key));
  }

  async set(key: string, value: string): Promise<Result<void, LakeSyncError>> {
    this.#values.set(key, value);
    return Ok(undefined);
  }

  async delete(key: string): Promise<Result<void, LakeSyncError>> {
    this.#values.delete(key);
    return Ok(undefined);
  }

  async putIfAbsent(key: string, value: string): Promise<Result<string, LakeSyncError>> {
    const existing = this.#values.get(key);
    if (existing !== undefined) return Ok(existing);
    this.#values.set(key, value);
    return Ok(value);
  }
}

const STORE = "values";

/**
 * A {@link KeyValueStore} in one IndexedDB database, shared by every tab and worker of an
 * origin. The connection is opened on first use and kept; failures are `Err(LocalDBError)`.
 */
export class IDBKeyValueStore implements KeyValueStore {
  readonly #name: string;
  #db: Promise<IDBPDatabase> | undefined;

  /** @param name the IndexedDB database; defaults to `lakesync-settings`. */
  constructor(name = "lakesync-settings") {
    this.#name = name;
  }

  #open(): Promise<IDBPDatabase> {
    this.#db ??= openDB(this.#name, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
    return this.#db;
  }

  async #run<T>(
    what: string,
    fn: (db: IDBPDatabase) => Promise<T>,
  ): Promise<Result<T, LakeSyncError>> {
    if (typeof indexedDB === "undefined")
      return Err(new LocalDBError("IndexedDB is not available in this environment"));
    try {
      return Ok(await fn(await this.#open()));
    } catch (cause) {
      this.#db = undefined;
      return Err(new LocalDBError(`settings ${what} failed`, { cause }));
    }
  }

  get(key: string): Promise<Result<string | undefined, LakeSyncError>> {
    return this.#run("read", async (db) => {
      const value: unknown = await db.get(STORE, key);
      return typeof value === "string" ? value : undefined;
    });
  }

  set(key: string, value: string): Promise<Result<void, LakeSyncError>> {
    return this.#run("write", async (db) => {
      await db.put(STORE, value, key);
    });
  }

  delete(key: string): Promise<Result<void, LakeSyncError>> {
    return this.#run("delete", (db) => db.delete(STORE, key));
  }

  putIfAbsent(key: string, value: string): Promise<Result<string, LakeSyncError>> {
    return this.#run("write", async (db) => {
      const tx = db.transaction(STORE, "readwrite");
      const existing: unknown = await tx.store.get(key);
      if (typeof existing === "string") {
        await tx.done;
        return existing;
      }
      await tx.store.put(value, key);
      await tx.done;
      return value;
    });
  }

  /** Closes the connection (it is opened again on the next call). */
  close(): void {
    void this.#db?.then((db) => db.close()).catch(() => undefined);
    this.#db = undefined;
  }
}
