/**
 * @module db/snapshot-store
 * Where the local database's snapshots are kept between sessions.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { openDB } from "idb";
import { LocalDBError } from "../errors.js";

/** Keeps whole-database snapshots by name. */
export interface SnapshotStore {
  /** The last saved snapshot, or `null` when there is none. */
  load(name: string): Promise<Result<Uint8Array | null, LocalDBError>>;
  /** Replaces the snapshot atomically. */
  save(name: string, bytes: Uint8Array): Promise<Result<void, LocalDBError>>;
  /** Deletes the snapshot, if there is one (after it moved to OPFS). */
  remove(name: string): Promise<Result<void, LocalDBError>>;
}

/** Snapshots in memory: for tests and for clients that need no persistence. */
export class MemorySnapshotStore implements SnapshotStore {
  readonly #snapshots = new Map<string, Uint8Array>();

  async load(name: string): Promise<Result<Uint8Array | null, LocalDBError>> {
    return Ok(this.#snapshots.get(name) ?? null);
  }

  async save(name: string, bytes: Uint8Array): Promise<Result<void, LocalDBError>> {
    this.#snapshots.set(name, bytes.slice());
    return Ok(undefined);
  }

  async remove(name: string): Promise<Result<void, LocalDBError>> {
    this.#snapshots.delete(name);
    return Ok(undefined);
  }
}

const STORE = "snapshots";

/** Snapshots in IndexedDB, one record per database name, written in one transaction. */
export class IDBSnapshotStore implements SnapshotStore {
  readonly #dbName: string;

  /** @param dbName the IndexedDB database that holds the snapshots. */
  constructor(dbName = "lakesync-snapshots") {
    this.#dbName = dbName;
  }

  async #open() {
    return openDB(this.#dbName, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
  }

  async load(name: string): Promise<Result<Uint8Array | null, LocalDBError>> {
    try {
      const db = await this.#open();
      const value: unknown = await db.get(STORE, name);
      db.close();
      if (value === undefined) return Ok(null);
      if (!(value instanceof Uint8Array)) {
        return Err(new LocalDBError(`snapshot "${name}" is not a byte array`));
      }
      return Ok(value);
    } catch (cause) {
      return Err(new LocalDBError(`cannot load snapshot "${name}"`, { cause }));
    }
  }

  async save(name: string, bytes: Uint8Array): Promise<Result<void, LocalDBError>> {
    try {
      const db = await this.#open();
      await db.put(STORE, bytes, name);
      db.close();
      return Ok(undefined);
    } catch (cause) {
      return Err(new LocalDBError(`cannot save snapshot "${name}"`, { cause }));
    }
  }

  async remove(name: string): Promise<Result<void, LocalDBError>> {
    try {
      const db = await this.#open();
      // Resolves once the transaction has committed.
      await db.delete(STORE, name);
      db.close();
      return Ok(undefined);
    } catch (cause) {
      return Err(new LocalDBError(`cannot delete snapshot "${name}"`, { cause }));
    }
  }
}
