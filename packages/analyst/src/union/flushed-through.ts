/**
 * @module union/flushed-through
 * How far a gateway's log is in a table's lake snapshot: the highest sequence number of the log
 * ranges (`lakesync.log-range`, `{min}-{max}`) that the snapshot's ancestry carries for that
 * gateway. Each flush of a table writes every buffered entry of that table up to its range's
 * max, in order, so every entry of the table at or below it is in the snapshot; the entries
 * after it are the gateway's unflushed deltas (or flushed since, which the merge absorbs: it is
 * idempotent).
 */
import {
  type Catalogue,
  currentSnapshot,
  GATEWAY_ID_PROPERTY,
  LOG_RANGE_PROPERTY,
  lakeTables,
  type Namespace,
  type Snapshot,
  snapshotById,
  type TableMetadata,
} from "@lakesync/catalogue";
import { HLC_ZERO, type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { listLakeTables } from "../lake/lake-tables.js";

/**
 * The highest flushed sequence number of gateway `gatewayId` in `snapshot`'s ancestry of the
 * table `metadata` describes; `HLC_ZERO` when it has none (nothing of the table was flushed).
 */
export function flushedThrough(
  metadata: TableMetadata,
  snapshot: Snapshot | undefined,
  gatewayId: string,
): HLCTimestamp {
  let through = 0n;
  const seen = new Set<number>();
  let at = snapshot;
  while (at && !seen.has(at["snapshot-id"])) {
    seen.add(at["snapshot-id"]);
    const range = at.summary[LOG_RANGE_PROPERTY];
    const gateway = at.summary[GATEWAY_ID_PROPERTY];
    const max = range === undefined ? undefined : /^\d+-(\d+)$/.exec(range)?.[1];
    if (max !== undefined && (gateway === undefined || gateway === gatewayId)) {
      const value = BigInt(max);
      if (value > through) through = value;
    }
    const parent = at["parent-snapshot-id"];
    at = parent === undefined || parent === null ? undefined : snapshotById(metadata, parent);
  }
  return through === 0n ? HLC_ZERO : (through as HLCTimestamp);
}

/**
 * The highest sequence number of gateway `gatewayId`'s log that any synced table of
 * `namespace` holds in its current snapshot: every entry the gateway trimmed from its log after
 * a flush is at or below it (when all its tables flush to this lake). `Err`: the catalogue's.
 */
export async function namespaceFlushedThrough(
  catalogue: Catalogue,
  namespace: Namespace,
  gatewayId: string,
): Promise<Result<HLCTimestamp, LakeSyncError>> {
  const tables = await listLakeTables(catalogue, namespace);
  if (!tables.ok) return tables;
  let through: HLCTimestamp = HLC_ZERO;
  for (const table of tables.value) {
    const loaded = await catalogue.loadTable(lakeTables(namespace, table).main);
    if (!loaded.ok) return loaded;
    const metadata = loaded.value.metadata;
    const max = flushedThrough(metadata, currentSnapshot(metadata), gatewayId);
    if (max > through) through = max;
  }
  return Ok(through);
}
