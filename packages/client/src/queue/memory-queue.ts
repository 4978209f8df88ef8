/**
 * @module queue/memory-queue
 * An in-memory outbox for tests, servers and ephemeral clients.
 */
import { type LakeSyncError, Ok, type Result, type RowDelta } from "@lakesync/core";
import {
  type ClaimOptions,
  DEFAULT_LEASE_MS,
  type QueueEntry,
  type SyncQueue,
} from "./sync-queue.js";

/** Options for {@link MemoryQueue}. */
export interface MemoryQueueOptions {
  /** Reads the time in ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

/** A {@link SyncQueue} held in memory: fast, and gone when the process ends. */
export class MemoryQueue implements SyncQueue {
  readonly #entries = new Map<string, QueueEntry>();
  readonly #now: () => number;
  #seq = 0;

  constructor(options: MemoryQueueOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async push(deltas: readonly RowDelta[]): Promise<Result<void, LakeSyncError>> {
    const now = this.#now();
    for (const delta of deltas) {
      if (this.#entries.has(delta.deltaId)) continue;
      this.#entries.set(delta.deltaId, {
        id: delta.deltaId,
        delta,
        status: "pending",
        retries: 0,
        enqueuedAt: now,
        leaseUntil: 0,
        notBefore: 0,
        seq: this.#seq++,
      });
    }
    return Ok(undefined);
  }

  async peek(max: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    return Ok([...this.#entries.values()].slice(0, Math.max(0, max)));
  }

  async claim(options: ClaimOptions): Promise<Result<QueueEntry[], LakeSyncError>> {
    const now = this.#now();
    const leaseUntil = now + (options.leaseMs ?? DEFAULT_LEASE_MS);
    const claimed: QueueEntry[] = [];
    for (const entry of this.#entries.values()) {
      if (claimed.length >= options.max) break;
      if (!isClaimable(entry, now)) continue;
      const next: QueueEntry = { ...entry, status: "sending", leaseUntil };
      this.#entries.set(entry.id, next);
      claimed.push(next);
    }
    return Ok(claimed);
  }

  async markSending(
    ids: readonly string[],
    leaseMs = DEFAULT_LEASE_MS,
  ): Promise<Result<void, LakeSyncError>> {
    const leaseUntil = this.#now() + leaseMs;
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry) this.#entries.set(id, { ...entry, status: "sending", leaseUntil });
    }
    return Ok(undefined);
  }

  async ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    for (const id of ids) this.#entries.delete(id);
    return Ok(undefined);
  }

  async nack(ids: readonly string[], retryAfterMs = 0): Promise<Result<void, LakeSyncError>> {
    const notBefore = this.#now() + retryAfterMs;
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry) {
        this.#entries.set(id, {
          ...entry,
          status: "pending",
          retries: entry.retries + 1,
          leaseUntil: 0,
          notBefore,
        });
      }
    }
    return Ok(undefined);
  }

  async releaseClaims(): Promise<Result<number, LakeSyncError>> {
    let released = 0;
    for (const entry of this.#entries.values()) {
      if (entry.status !== "sending") continue;
      this.#entries.set(entry.id, { ...entry, status: "pending", leaseUntil: 0 });
      released++;
    }
    return Ok(released);
  }

  async depth(): Promise<Result<number, LakeSyncError>> {
    return Ok(this.#entries.size);
  }

  async clear(): Promise<Result<void, LakeSyncError>> {
    this.#entries.clear();
    return Ok(undefined);
  }
}

/** True when an entry may be claimed at `now`: pending and due, or sending with a lapsed lease. */
export function isClaimable(
  entry: Pick<QueueEntry, "status" | "notBefore" | "leaseUntil">,
  now: number,
): boolean {
  return entry.status === "pending" ? entry.notBefore <= now : entry.leaseUntil <= now;
}
