/**
 * @module lakesync/state-pairing
 * Which snapshot of `ns._lakesync_state_T` goes with a snapshot of `ns.T`. A flush commits the
 * state table first and the table second, both under one commit key, so the state table can be
 * ahead of the table (a flush whose second commit failed or is still running). The state
 * snapshot that pairs with a table snapshot `S` is the newest one in the state table's history
 * whose commit key is among the keys of `S`'s ancestry, plus any keyless snapshots directly on
 * top of it (maintenance rewrites that change no row). With one gateway writing a table this is
 * exact for every snapshot; with several, a time-travel read can see another gateway's flush
 * on one side only while both were in flight (ADR-014).
 */
import { COMMIT_KEY_PROPERTY } from "../commit/snapshot-summary.js";
import { currentSnapshot, snapshotById } from "../iceberg/metadata.js";
import type { Snapshot, TableMetadata } from "../iceberg/types.js";

/** `snapshot` and its ancestors, newest first. */
export function ancestry(metadata: TableMetadata, snapshot: Snapshot | undefined): Snapshot[] {
  const out: Snapshot[] = [];
  const seen = new Set<number>();
  let at = snapshot;
  while (at && !seen.has(at["snapshot-id"])) {
    seen.add(at["snapshot-id"]);
    out.push(at);
    const parent = at["parent-snapshot-id"];
    at = parent === undefined ? undefined : snapshotById(metadata, parent);
  }
  return out;
}

/**
 * The state snapshot paired with `tableSnapshot` (see the module comment); `undefined` when the
 * table has no snapshot. When no state snapshot carries a key of the table's history (its
 * snapshots expired), the state table's current snapshot.
 */
export function pairedStateSnapshot(
  table: TableMetadata,
  tableSnapshot: Snapshot | undefined,
  state: TableMetadata,
): Snapshot | undefined {
  if (!tableSnapshot) return undefined;
  const keys = new Set<string>();
  for (const s of ancestry(table, tableSnapshot)) {
    const key = s.summary[COMMIT_KEY_PROPERTY];
    if (key !== undefined) keys.add(key);
  }
  const history = ancestry(state, currentSnapshot(state));
  const match = history.findIndex((s) => {
    const key = s.summary[COMMIT_KEY_PROPERTY];
    return key !== undefined && keys.has(key);
  });
  if (match < 0) return history[0];
  let paired = match;
  while (paired > 0 && history[paired - 1]?.summary[COMMIT_KEY_PROPERTY] === undefined) paired--;
  return history[paired];
}
