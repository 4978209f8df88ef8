/**
 * @module sync/apply-remote
 * Applying what the gateway sent — a pull page or a realtime message — to the replica: in one
 * LocalDB transaction the deltas are merged, rows that left the user's view are removed, and
 * the pull cursor moves on.
 */
import {
  type HLC,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  parseHLC,
  type Result,
  type RowDelta,
} from "@lakesync/core";
import type { RowRef, SyncNotification } from "@lakesync/proto";
import type { LocalDB } from "../db/local-db.js";
import { applyDeltas, evictRow } from "../db/row-store.js";
import { CURSOR_KEY } from "./initial-sync.js";

/** Changes from the gateway: deltas to merge, then rows to evict. */
export interface RemoteChanges {
  readonly deltas: readonly RowDelta[];
  readonly evicted?: readonly RowRef[] | undefined;
}

/**
 * Merges `changes.deltas`, removes `changes.evicted` (not deletes: they may come back whole),
 * and sets the pull cursor to `cursor`, all in one transaction: on any `Err` nothing changed.
 * A `SCHEMA_MISMATCH` means a table or column this replica does not know yet.
 */
export function applyRemoteChanges(
  db: LocalDB,
  changes: RemoteChanges,
  cursor: HLCTimestamp,
): Result<void, LakeSyncError> {
  return db.transaction<void>(() => {
    const merged = applyDeltas(db, changes.deltas);
    if (!merged.ok) return merged;
    for (const { table, rowId } of changes.evicted ?? []) {
      const evicted = evictRow(db, table, rowId);
      if (!evicted.ok) return evicted;
    }
    return db.setMeta(CURSOR_KEY, cursor.toString());
  });
}

/**
 * Applies a realtime notification if it follows on the replica's cursor (kind `deltas`, from a
 * cursor at or before ours, to one after it). `Ok(true)` when the replica is now at least as
 * new as the notification (applied, or already held); `Ok(false)` when it cannot be applied —
 * a bare "changed", a gap, a replica that has never synced — and the caller should pull.
 */
export function applyNotification(
  db: LocalDB,
  clock: HLC,
  notification: SyncNotification,
): Result<boolean, LakeSyncError> {
  if (notification.kind !== "deltas") return Ok(false);
  const stored = db.getMeta(CURSOR_KEY);
  if (!stored.ok) return stored;
  if (stored.value === undefined || stored.value === "") return Ok(false);
  const cursor = parseHLC(stored.value);
  if (!cursor.ok) return Ok(false);
  if (notification.serverHlc <= cursor.value) return Ok(true);
  if ((notification.sinceHlc ?? HLC_ZERO) > cursor.value) return Ok(false);
  const seen = clock.recv(notification.serverHlc);
  if (!seen.ok) return seen;
  const applied = applyRemoteChanges(db, notification, notification.serverHlc);
  return applied.ok ? Ok(true) : applied;
}
