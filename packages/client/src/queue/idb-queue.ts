/**
 * @module queue/idb-queue
 * A durable outbox in IndexedDB, shared safely by every tab of an origin.
 */
import { Err, type LakeSyncError, Ok, parseHLC, type Result, type RowDelta } from "@lakesync/core";
import { type IDBPDatabase, openDB } from "idb";
import { QueueError } from "../errors.js";
import { isClaimable } from "./memory-queue.js";
import {
  type ClaimOptions,
  DEFAULT_LEASE_MS,
  type QueueEntry,
  type SyncQueue,
} from "./sync-queue.js";

const STORE = "outbox";
const BY_SEQ = "by-seq";

/** A queue entry as stored: the delta's HLC as a decimal string. */
interface StoredEntry extends Omit<QueueEntry, "delta"> {
  readonly delta: Omit<RowDelta, "hlc"> & { readonly hlc: string };
}

/** Options for {@link IDBQueue.open}. */
export interface IDBQueueOptions {
  /** The IndexedDB database name; one per app and user. Defaults to `lakesync-outbox`. */
  readonly name?: string;
  /** Reads the time in ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

function toStored(entry: QueueEntry): StoredEntry {
  return { ...entry, delta: { ...entry.delta, hlc: entry.delta.hlc.toString() } };
}

function fromStored(stored: StoredEntry): Result<QueueEntry, QueueError> {
  const hlc = parseHLC(stored.delta.hlc);
  if (!hlc.ok)
    return Err(new QueueError(`outbox entry ${stored.id} has a corrupt HLC`, { cause: hlc.error }));
  return Ok({ ...stored, delta: { ...stored.delta, hlc: hlc.value } });
}

/**
 * A {@link SyncQueue} in IndexedDB. Every operation is one transaction; `claim` reads and marks
 * entries in a single read-write transaction, so two tabs never claim the same entry while its
 * lease runs. Failures of IndexedDB become `Err(QueueError)`.
 */
export class IDBQueue implements SyncQueue {
  readonly #db: IDBPDatabase;
  readonly #now: () => number;

  private constructor(db: IDBPDatabase, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Opens (creating if needed) the outbox database. */
  static async open(options: IDBQueueOptions = {}): Promise<Result<IDBQueue, QueueError>> {
    if (typeof indexedDB === "undefined") {
      return Err(new QueueError("IndexedDB is not available in this environment"));
    }
    try {
      const db = await openDB(options.name ?? "lakesync-outbox", 1, {
        upgrade(database) {
          const store = database.createObjectStore(STORE, { keyPath: "id" });
          store.createIndex(BY_SEQ, "seq");
        },
      });
      return Ok(new IDBQueue(db, options.now ?? Date.now));
    } catch (cause) {
      return Err(new QueueError("cannot open the outbox database", { cause }));
    }
  }

  /** Closes the database connection. */
  close(): void {
    this.#db.close();
  }

  async #run<T>(what: string, fn: () => Promise<T>): Promise<Result<T, LakeSyncError>> {
    try {
      return Ok(await fn());
    } catch (cause) {
      return Err(new QueueError(`outbox ${what} failed`, { cause }));
    }
  }

  push(deltas: readonly RowDelta[]): Promise<Result<void, LakeSyncError>> {
    return this.#run("push", async () => {
      const tx = this.#db.transaction(STORE, "readwrite");
      const store = tx.objectStore(STORE);
      const last = await store.index(BY_SEQ).openCursor(null, "prev");
      let seq = last ? (last.value as StoredEntry).seq + 1 : 0;
      const now = this.#now();
      for (const delta of deltas) {
        if ((await store.count(delta.deltaId)) > 0) continue;
        const entry: QueueEntry = {
          id: delta.deltaId,
          delta,
          status: "pending",
          retries: 0,
          enqueuedAt: now,
          leaseUntil: 0,
          notBefore: 0,
          seq: seq++,
        };
        await store.add(toStored(entry));
      }
      await tx.done;
    });
  }

  async peek(max: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    const stored = await this.#run("peek", async () => {
      const out: StoredEntry[] = [];
      let cursor = await this.#db.transaction(STORE).store.index(BY_SEQ).openCursor();
      while (cursor && out.length < max) {
        out.push(cursor.value as StoredEntry);
        cursor = await cursor.continue();
      }
      return out;
    });
    return stored.ok ? all(stored.value) : stored;
  }

  async claim(options: ClaimOptions): Promise<Result<QueueEntry[], LakeSyncError>> {
    const stored = await this.#run("claim", async () => {
      const now = this.#now();
      const leaseUntil = now + (options.leaseMs ?? DEFAULT_LEASE_MS);
      const tx = this.#db.transaction(STORE, "readwrite");
      const claimed: StoredEntry[] = [];
      let cursor = await tx.store.index(BY_SEQ).openCursor();
      while (cursor && claimed.length < options.max) {
        const entry = cursor.value as StoredEntry;
        if (isClaimable(entry, now)) {
          const next: StoredEntry = { ...entry, status: "sending", leaseUntil };
          await cursor.update(next);
          claimed.push(next);
        }
        cursor = await cursor.continue();
      }
      await tx.done;
      return claimed;
    });
    return stored.ok ? all(stored.value) : stored;
  }

  markSending(
    ids: readonly string[],
    leaseMs = DEFAULT_LEASE_MS,
  ): Promise<Result<void, LakeSyncError>> {
    const leaseUntil = this.#now() + leaseMs;
    return this.#update("markSending", ids, (e) => ({ ...e, status: "sending", leaseUntil }));
  }

  ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#run("ack", async () => {
      const tx = this.#db.transaction(STORE, "readwrite");
      for (const id of ids) await tx.store.delete(id);
      await tx.done;
    });
  }

  nack(ids: readonly string[], retryAfterMs = 0): Promise<Result<void, LakeSyncError>> {
    const notBefore = this.#now() + retryAfterMs;
    return this.#update("nack", ids, (e) => ({
      ...e,
      status: "pending",
      retries: e.retries + 1,
      leaseUntil: 0,
      notBefore,
    }));
  }

  releaseClaims(): Promise<Result<number, LakeSyncError>> {
    return this.#run("releaseClaims", async () => {
      const tx = this.#db.transaction(STORE, "readwrite");
      let released = 0;
      let cursor = await tx.store.openCursor();
      while (cursor) {
        const entry = cursor.value as StoredEntry;
        if (entry.status === "sending") {
          await cursor.update({ ...entry, status: "pending", leaseUntil: 0 });
          released++;
        }
        cursor = await cursor.continue();
      }
      await tx.done;
      return released;
    });
  }

  depth(): Promise<Result<number, LakeSyncError>> {
    return this.#run("depth", () => this.#db.count(STORE));
  }

  clear(): Promise<Result<void, LakeSyncError>> {
    return this.#run("clear", () => this.#db.clear(STORE));
  }

  #update(
    what: string,
    ids: readonly string[],
    change: (entry: StoredEntry) => StoredEntry,
  ): Promise<Result<void, LakeSyncError>> {
    return this.#run(what, async () => {
      const tx = this.#db.transaction(STORE, "readwrite");
      for (const id of ids) {
        const entry = (await tx.store.get(id)) as StoredEntry | undefined;
        if (entry) await tx.store.put(change(entry));
      }
      await tx.done;
    });
  }
}

function all(stored: readonly StoredEntry[]): Result<QueueEntry[], QueueError> {
  const out: QueueEntry[] = [];
  for (const s of stored) {
    const entry = fromStored(s);
    if (!entry.ok) return entry;
    out.push(entry.value);
  }
  return Ok(out);
}
