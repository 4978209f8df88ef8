/**
 * @module sync/push-outbox
 * Pushing the outbox: batches leave it only once acknowledged; deltas the gateway refused leave
 * it too, and their rows go back to the gateway's version.
 */
import type { HLC, HLCTimestamp, LakeSyncError, Result, RowDelta } from "@lakesync/core";
import { Ok } from "@lakesync/core";
import type { DeltaRefusal, RowRef } from "@lakesync/proto";
import type { LocalDB } from "../db/local-db.js";
import { applyDeltas, evictRow } from "../db/row-store.js";
import type { QueueEntry, SyncQueue } from "../queue/sync-queue.js";
import type { PushResponse, SyncTransport } from "../transport/sync-transport.js";

/** Deltas the gateway refused, with the reasons; their rows were put back. */
export interface RefusalEvent {
  readonly refused: readonly DeltaRefusal[];
  /** The refused local deltas. */
  readonly deltas: readonly RowDelta[];
}

/** What pushing works with. */
export interface PushParts {
  readonly db: LocalDB;
  readonly queue: SyncQueue;
  readonly transport: SyncTransport;
  readonly clock: HLC;
  readonly clientId: string;
  readonly batchSize: number;
  readonly cursor: () => HLCTimestamp;
  readonly refused: (event: RefusalEvent) => void;
}

/**
 * Pushes the outbox in batches until it is empty. An entry leaves the outbox only after the
 * gateway acknowledged its batch, and after the local snapshot holding its effects is durable.
 * Refused deltas leave it as well (retrying cannot help), their rows are put back to the
 * gateway's version — or removed, when the caller may not read them — with the outbox's other
 * pending writes to those rows applied again on top, and `refused` is told.
 */
export async function pushOutbox(parts: PushParts): Promise<Result<void, LakeSyncError>> {
  const { queue, transport, clientId, batchSize, clock, db } = parts;
  for (;;) {
    const batch = await queue.claim({ max: batchSize });
    if (!batch.ok) return batch;
    if (batch.value.length === 0) return Ok(undefined);
    const ids = batch.value.map((e) => e.id);
    const sent = await transport.push({
      clientId,
      deltas: batch.value.map((e) => e.delta),
      lastSeenHlc: parts.cursor(),
    });
    if (!sent.ok) {
      await queue.nack(ids);
      return sent;
    }
    clock.recv(sent.value.serverHlc);
    if (sent.value.refused && sent.value.refused.length > 0) {
      const restored = await restoreRefused(parts, batch.value, sent.value);
      if (!restored.ok) return restored;
    }
    // Entries leave the outbox only once the local snapshot holds them too, so a reload
    // right after the acknowledgement cannot show an older database with an empty outbox.
    if (db.hasUnsavedChanges) {
      const saved = await db.persist();
      if (!saved.ok) return saved;
    }
    const acked = await queue.ack(ids);
    if (!acked.ok) return acked;
  }
}

async function restoreRefused(
  parts: PushParts,
  batch: readonly QueueEntry[],
  answer: PushResponse,
): Promise<Result<void, LakeSyncError>> {
  const { db, queue } = parts;
  const refused = answer.refused ?? [];
  const refusedIds = new Set(refused.map((r) => r.deltaId));
  const inBatch = new Set(batch.map((e) => e.id));
  const rows = new Map<string, RowRef>();
  for (const r of refused)
    rows.set(`${r.table}\u0000${r.rowId}`, { table: r.table, rowId: r.rowId });
  const depth = await queue.depth();
  if (!depth.ok) return depth;
  const pending = await queue.peek(depth.value);
  if (!pending.ok) return pending;
  const later = pending.value
    .filter((e) => !inBatch.has(e.id) && rows.has(`${e.delta.table}\u0000${e.delta.rowId}`))
    .map((e) => e.delta);
  const restored = db.transaction<void>(() => {
    for (const { table, rowId } of rows.values()) {
      const evicted = evictRow(db, table, rowId);
      if (!evicted.ok) return evicted;
    }
    const gateway = applyDeltas(db, answer.restore?.deltas ?? []);
    if (!gateway.ok) return gateway;
    const local = applyDeltas(db, later);
    return local.ok ? Ok(undefined) : local;
  });
  if (!restored.ok) return restored;
  parts.refused({
    refused,
    deltas: batch.filter((e) => refusedIds.has(e.id)).map((e) => e.delta),
  });
  return Ok(undefined);
}
