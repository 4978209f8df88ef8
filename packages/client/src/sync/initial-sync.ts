/**
 * @module sync/initial-sync
 * Starting a replica from a checkpoint: every chunk applied with the merge, the outbox's own
 * writes kept on top, then the pull cursor set to the checkpoint's snapshot.
 */
import { type HLC, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { applyCheckpointDeltas } from "../db/bulk-apply.js";
import type { LocalDB } from "../db/local-db.js";
import { clearSyncedRows } from "../db/replica-reset.js";
import { applyDeltas } from "../db/row-store.js";
import type { SyncQueue } from "../queue/sync-queue.js";
import type { SyncTransport } from "../transport/sync-transport.js";
import { checkpointDeltas } from "./checkpoint-deltas.js";

/**
 * Progress of an initial sync from a checkpoint, reported after each chunk is applied (and
 * queryable): chunk `chunkIndex + 1` of `chunkCount` is done. Chunks are cut to a byte budget,
 * so `(chunkIndex + 1) / chunkCount` is about the share of the checkpoint applied; the total number
 * of rows is not known before the last chunk.
 */
export interface InitialSyncProgress {
  /** The chunk just applied, from 0. */
  readonly chunkIndex: number;
  /** Chunks in the whole checkpoint. */
  readonly chunkCount: number;
  /** Rows applied so far, this chunk's included (a row counts once, however many deltas it took). */
  readonly rows: number;
}

/** What an initial sync works with. */
export interface InitialSyncParts {
  readonly db: LocalDB;
  readonly queue: SyncQueue;
  readonly transport: SyncTransport;
  readonly clock: HLC;
  readonly progress: (progress: InitialSyncProgress) => void;
}

/** The most room an initial sync asks the database for (see `LocalDB.reserve`). */
const MAX_RESERVE = 2 ** 30;

/** The database file's size: pages in use times the page size. */
function fileBytes(db: LocalDB): number {
  const count = db.queryValues("PRAGMA page_count");
  const size = db.queryValues("PRAGMA page_size");
  if (!count.ok || !size.ok) return 0;
  return Number(count.value[0]?.[0] ?? 0) * Number(size.value[0]?.[0] ?? 0);
}

/** The meta key of the pull cursor. */
export const CURSOR_KEY = "lastSyncedHlc";

/**
 * Downloads and applies a checkpoint, then sets the pull cursor to its snapshot. With `reset`
 * (a replica whose cursor expired) every synced row is removed first, so that rows deleted or
 * moved out of view meanwhile do not survive here alone; the outbox's pending writes are then
 * applied again on top, so local changes not yet pushed stay visible. A transport without
 * checkpoints, or a gateway that has none (404/501), leaves the replica to pull from zero.
 */
export async function initialSync(
  parts: InitialSyncParts,
  reset: boolean,
): Promise<Result<void, LakeSyncError>> {
  const { transport, db, queue, clock } = parts;
  if (!transport.checkpoint) return Ok(undefined);
  if (reset) {
    const cleared = clearSyncedRows(db);
    if (!cleared.ok) return cleared;
  }
  let rows = 0;
  let before = 0;
  const done = await transport.checkpoint((chunk) => {
    if (chunk.chunkIndex === 0) before = fileBytes(db);
    const deltas = checkpointDeltas(chunk);
    const applied = applyCheckpointDeltas(db, deltas);
    if (!applied.ok) return applied;
    if (chunk.chunkIndex === 0 && chunk.chunkCount > 1) {
      // Room for every chunk, judged by the first: an engine that copies its file as it grows
      // (sql.js) copies it once instead. A reservation that fails only leaves the copies.
      const grown = fileBytes(db) - before;
      void db.reserve(Math.min(MAX_RESERVE, before + grown * chunk.chunkCount * 1.25));
    }
    rows += applied.value;
    parts.progress({ chunkIndex: chunk.chunkIndex, chunkCount: chunk.chunkCount, rows });
    return Ok(undefined);
  });
  if (!done.ok) {
    const status = (done.error as { status?: number }).status;
    if (status === 404 || status === 501) return Ok(undefined);
    return done;
  }
  if (reset) {
    const depth = await queue.depth();
    if (!depth.ok) return depth;
    const pending = await queue.peek(depth.value);
    if (!pending.ok) return pending;
    const reapplied = applyDeltas(
      db,
      pending.value.map((e) => e.delta),
    );
    if (!reapplied.ok) return reapplied;
  }
  const seen = clock.recv(done.value.snapshotHlc);
  if (!seen.ok) return seen;
  return db.setMeta(CURSOR_KEY, done.value.snapshotHlc.toString());
}
