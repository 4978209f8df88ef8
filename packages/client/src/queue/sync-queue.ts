/**
 * @module queue/sync-queue
 * The outbox: local deltas waiting for the gateway's acknowledgement.
 */
import type { LakeSyncError, Result, RowDelta } from "@lakesync/core";

/** Where an outbox entry is in its life. */
export type QueueEntryStatus = "pending" | "sending";

/** One delta in the outbox. */
export interface QueueEntry {
  /** The delta's id; pushing the same delta twice keeps one entry. */
  readonly id: string;
  readonly delta: RowDelta;
  readonly status: QueueEntryStatus;
  /** Failed send attempts so far. */
  readonly retries: number;
  /** When the entry was enqueued (ms since the epoch). */
  readonly enqueuedAt: number;
  /** While `sending`: when the claim expires and the entry may be claimed again. */
  readonly leaseUntil: number;
  /** While `pending` after a failure: not to be claimed before this time. */
  readonly notBefore: number;
  /** Order of insertion, so entries are sent in the order they were written. */
  readonly seq: number;
}

/** Options for {@link SyncQueue.claim}. */
export interface ClaimOptions {
  /** At most this many entries. */
  readonly max: number;
  /** How long the claim lasts before another sender may take the entries over (ms). */
  readonly leaseMs?: number;
}

/** The default claim lease: long enough for a slow push, short enough to recover from a crash. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * A durable, ordered outbox. Entries leave it only through {@link SyncQueue.ack}, after the
 * gateway acknowledged them, so a crash at any point loses nothing: a claim whose sender died
 * expires after its lease and the entries are claimed again (the gateway deduplicates by id).
 */
export interface SyncQueue {
  /** Appends deltas in order; a delta already queued is kept once. */
  push(deltas: readonly RowDelta[]): Promise<Result<void, LakeSyncError>>;
  /** The oldest entries, whatever their status, without claiming them. */
  peek(max: number): Promise<Result<QueueEntry[], LakeSyncError>>;
  /**
   * Atomically marks up to `max` claimable entries (pending and due, or sending with an expired
   * lease) as `sending` and returns them, oldest first. Two concurrent claims never return the
   * same entry while its lease runs.
   */
  claim(options: ClaimOptions): Promise<Result<QueueEntry[], LakeSyncError>>;
  /** Marks the given entries as sending (a claim of exactly these ids). */
  markSending(ids: readonly string[], leaseMs?: number): Promise<Result<void, LakeSyncError>>;
  /** Removes acknowledged entries. Unknown ids are ignored. */
  ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>>;
  /** Returns entries to pending after a failed send, counting the retry and delaying the next. */
  nack(ids: readonly string[], retryAfterMs?: number): Promise<Result<void, LakeSyncError>>;
  /**
   * Returns every `sending` entry to `pending` at once, without counting a retry. Only for a
   * sender that knows no other sender is alive (it holds the replica's lock): the claims of a
   * tab that closed mid-push would otherwise wait out their lease.
   * Returns how many entries were released.
   */
  releaseClaims(): Promise<Result<number, LakeSyncError>>;
  /** The number of entries not yet acknowledged. */
  depth(): Promise<Result<number, LakeSyncError>>;
  /** Removes every entry. */
  clear(): Promise<Result<void, LakeSyncError>>;
}
