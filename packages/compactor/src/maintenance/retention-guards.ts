/**
 * @module maintenance/retention-guards
 * Snapshots the lake layout of ADR-014 needs whatever their age (ADR-015):
 * - in `ns.T` and `ns._lakesync_state_T`, every snapshot from the current one back to the
 *   newest one carrying each gateway's commit key: a retried flush finds its key (exactly once),
 *   and the state pairing finds a key in the table's ancestry;
 * - in `ns._lakesync_state_T`, every snapshot from the current one back to the oldest one the
 *   pairing anchors on for a retained snapshot of `ns.T`, so every snapshot of `ns.T` that can
 *   still be read pairs with the state it was written with (the pairing walks the state table's
 *   ancestry from its current snapshot, so no snapshot between may go either);
 * - in `ns._lakesync_history`, per gateway and synced table, the newest snapshot recording a log
 *   range, which tells a retried flush which deltas the history already holds.
 */
import {
  ancestry,
  COMMIT_KEY_PROPERTY,
  GATEWAY_ID_PROPERTY,
  LOG_RANGE_PROPERTY,
  type Snapshot,
  snapshotById,
  TABLE_PROPERTY,
  type TableMetadata,
} from "@lakesync/catalogue";
import { mainChain } from "./expire-snapshots.js";

/** The chain from the current snapshot back to the newest keyed snapshot of each gateway. */
export function keyedChain(metadata: TableMetadata): Set<number> {
  const chain = mainChain(metadata);
  const gateways = new Set<string>();
  for (const s of metadata.snapshots ?? []) {
    const gateway = s.summary[GATEWAY_ID_PROPERTY];
    if (gateway !== undefined && s.summary[COMMIT_KEY_PROPERTY] !== undefined)
      gateways.add(gateway);
  }
  let last = -1;
  const seen = new Set<string>();
  chain.forEach((s, i) => {
    const gateway = s.summary[GATEWAY_ID_PROPERTY];
    if (s.summary[COMMIT_KEY_PROPERTY] === undefined || gateway === undefined) return;
    if (!seen.has(gateway)) {
      seen.add(gateway);
      last = i;
    }
  });
  // A gateway whose keyed snapshots are all out of the chain is not waited for.
  return new Set(chain.slice(0, last + 1).map((s) => s["snapshot-id"]));
}

/**
 * The state-table snapshots to keep, given the snapshots of `ns.T` that stay (`mainKept`): the
 * chain from the state table's current snapshot back to the oldest one the pairing anchors on
 * for any of them (the newest state snapshot whose commit key is in that snapshot's ancestry:
 * the pairing needs the anchor itself, not only the keyless snapshots above it), plus the keyed
 * chain of the state table itself.
 */
export function stateGuard(
  main: TableMetadata,
  mainKept: readonly number[],
  state: TableMetadata,
): Set<number> {
  const chain = mainChain(state);
  let last = -1;
  for (const id of mainKept) {
    const keys = new Set<string>();
    for (const s of ancestry(main, snapshotById(main, id))) {
      const key = s.summary[COMMIT_KEY_PROPERTY];
      if (key !== undefined) keys.add(key);
    }
    const anchor = chain.findIndex((s) => {
      const key = s.summary[COMMIT_KEY_PROPERTY];
      return key !== undefined && keys.has(key);
    });
    if (anchor > last) last = anchor;
  }
  const keep = keyedChain(state);
  for (const s of chain.slice(0, last + 1)) keep.add(s["snapshot-id"]);
  return keep;
}

/** Per gateway and synced table, the newest history snapshot with a log range. */
export function historyGuard(history: TableMetadata): Set<number> {
  const newest = new Map<string, Snapshot>();
  for (const s of history.snapshots ?? []) {
    const { summary } = s;
    const gateway = summary[GATEWAY_ID_PROPERTY];
    const table = summary[TABLE_PROPERTY];
    if (gateway === undefined || table === undefined || summary[LOG_RANGE_PROPERTY] === undefined)
      continue;
    const key = `${gateway}\u0000${table}`;
    const before = newest.get(key);
    if (!before || s["sequence-number"] > before["sequence-number"]) newest.set(key, s);
  }
  return new Set([...newest.values()].map((s) => s["snapshot-id"]));
}
