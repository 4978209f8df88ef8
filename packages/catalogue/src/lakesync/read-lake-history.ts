/**
 * @module lakesync/read-lake-history
 * Reading the raw deltas back from `ns._lakesync_history`, for audit and for time travel by HLC
 * (fold the deltas up to an HLC with core's `applyToRowState`).
 *
 * @example
 * const deltas = await readLakeHistory({ catalogue, location, namespace: ["gw"],
 *   table: "todos", untilHlc });
 */
import { type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Compressors } from "hyparquet";
import type { Catalogue, Namespace } from "../catalogue/catalogue.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { historyEntryOf } from "./history-rows.js";
import type { LakeSyncLogEntry } from "./lake-batch.js";
import { HISTORY_TABLE } from "./layout.js";
import { readSnapshotRows } from "./snapshot-rows.js";

/** Which deltas of the history to read. */
export interface LakeHistoryReadOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
  /** Only deltas of this synced table (default: all). */
  readonly table?: string;
  /** Only deltas whose own HLC is above this. */
  readonly sinceHlc?: HLCTimestamp;
  /** Only deltas whose own HLC is at most this. */
  readonly untilHlc?: HLCTimestamp;
  /** A snapshot of the history table (default: the current one). */
  readonly snapshotId?: number;
  readonly asOfTimestampMs?: number;
  readonly compressors?: Compressors;
}

/**
 * The flushed deltas that match `options`, with their gateway sequence numbers, in `seq` order
 * (ties by delta id), each once. `Err`: the catalogue's (`NO_SUCH_TABLE` before the first
 * flush), `INVALID_INPUT` for a malformed row, an unknown snapshot or an unreadable file,
 * `CATALOGUE_UNAVAILABLE` when a file cannot be fetched.
 */
export async function readLakeHistory(
  options: LakeHistoryReadOptions,
): Promise<Result<LakeSyncLogEntry[], LakeSyncError>> {
  const loaded = await options.catalogue.loadTable({
    namespace: options.namespace,
    name: HISTORY_TABLE,
  });
  if (!loaded.ok) return loaded;
  const read = await readSnapshotRows(options.location, loaded.value.metadata, {
    ...(options.snapshotId === undefined ? {} : { snapshotId: options.snapshotId }),
    ...(options.asOfTimestampMs === undefined ? {} : { asOfTimestampMs: options.asOfTimestampMs }),
    ...(options.compressors ? { compressors: options.compressors } : {}),
  });
  if (!read.ok) return read;
  const seen = new Set<string>();
  const out: LakeSyncLogEntry[] = [];
  for (const row of read.value.rows) {
    if (options.table !== undefined && row.table !== options.table) continue;
    const entry = historyEntryOf(row);
    if (!entry.ok) return entry;
    const { seq, delta } = entry.value;
    if (options.sinceHlc !== undefined && delta.hlc <= options.sinceHlc) continue;
    if (options.untilHlc !== undefined && delta.hlc > options.untilHlc) continue;
    const key = `${seq}:${delta.deltaId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry.value);
  }
  out.sort((a, b) =>
    a.seq !== b.seq
      ? a.seq < b.seq
        ? -1
        : 1
      : a.delta.deltaId < b.delta.deltaId
        ? -1
        : a.delta.deltaId > b.delta.deltaId
          ? 1
          : 0,
  );
  return Ok(out);
}
