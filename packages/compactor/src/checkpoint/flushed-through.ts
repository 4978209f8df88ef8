/**
 * @module checkpoint/flushed-through
 * How far a gateway's log a snapshot of `ns.T` covers: the highest `seq` of the log ranges its
 * flush snapshots record (`lakesync.log-range`, `{min}-{max}`) in the snapshot's ancestry. A
 * gateway flushes a table's deltas in `seq` order, so every delta of the table at or below it
 * is in the snapshot.
 */
import {
  ancestry,
  GATEWAY_ID_PROPERTY,
  LOG_RANGE_PROPERTY,
  type Snapshot,
  type TableMetadata,
} from "@lakesync/catalogue";
import type { HLCTimestamp } from "@lakesync/core";

/**
 * The highest flushed `seq` in `snapshot`'s ancestry, of gateway `gatewayId` (of any gateway when
 * not given), or `undefined` when no flush snapshot is found.
 */
export function flushedThrough(
  metadata: TableMetadata,
  snapshot: Snapshot | undefined,
  gatewayId?: string,
): HLCTimestamp | undefined {
  let through: bigint | undefined;
  for (const s of ancestry(metadata, snapshot)) {
    if (gatewayId !== undefined && s.summary[GATEWAY_ID_PROPERTY] !== gatewayId) continue;
    const max = /^\d+-(\d+)$/.exec(s.summary[LOG_RANGE_PROPERTY] ?? "")?.[1];
    if (max === undefined) continue;
    const value = BigInt(max);
    if (through === undefined || value > through) through = value;
  }
  return through as HLCTimestamp | undefined;
}
