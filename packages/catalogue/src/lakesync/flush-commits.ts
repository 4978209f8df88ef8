/**
 * @module lakesync/flush-commits
 * What a flush checks in a table's snapshots before writing (has this flush been committed to
 * it already? how far has the gateway's history of this table got?) and the summary each of its
 * snapshots carries.
 */
import type { HLCTimestamp } from "@lakesync/core";
import { COMMIT_KEY_PROPERTY } from "../commit/snapshot-summary.js";
import type { TableMetadata } from "../iceberg/types.js";
import { GATEWAY_ID_PROPERTY, LOG_RANGE_PROPERTY, TABLE_PROPERTY } from "./layout.js";

/** The summary keys of a flush's snapshots: gateway id, synced table and log range. */
export function flushSummary(
  gatewayId: string,
  table: string,
  range: { readonly min: HLCTimestamp; readonly max: HLCTimestamp },
): Record<string, string> {
  return {
    [GATEWAY_ID_PROPERTY]: gatewayId,
    [TABLE_PROPERTY]: table,
    [LOG_RANGE_PROPERTY]: `${range.min}-${range.max}`,
  };
}

/** True when one of the table's snapshots carries the commit key `key`. */
export function hasCommitKey(metadata: TableMetadata, key: string): boolean {
  return (metadata.snapshots ?? []).some((s) => s.summary[COMMIT_KEY_PROPERTY] === key);
}

/**
 * The highest sequence number of `table`'s deltas that gateway `gatewayId` has committed to the
 * history (from the snapshots' log ranges), or `undefined`. A gateway flushes a table's deltas in
 * sequence order, so every entry at or below it is in the history already: a retried flush
 * whose batch grew since its first attempt appends only the rest.
 */
export function historyCommittedThrough(
  history: TableMetadata,
  gatewayId: string,
  table: string,
): bigint | undefined {
  let through: bigint | undefined;
  for (const snapshot of history.snapshots ?? []) {
    const { summary } = snapshot;
    if (summary[GATEWAY_ID_PROPERTY] !== gatewayId || summary[TABLE_PROPERTY] !== table) continue;
    const max = /^\d+-(\d+)$/.exec(summary[LOG_RANGE_PROPERTY] ?? "")?.[1];
    if (max === undefined) continue;
    const value = BigInt(max);
    if (through === undefined || value > through) through = value;
  }
  return through;
}
