/**
 * @module flush/flush-path
 * Where a flushed file lands in the lake.
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { FlushFormat } from "./targets/lake-file-target.js";

/**
 * `deltas/{YYYY-MM-DD}/{gatewayId}/{minHlc}-{maxHlc}.{json|parquet}`: the date of the flush
 * (UTC) and the range of gateway sequence numbers (HLCs, in decimal) the file holds. Sequence
 * numbers are unique per gateway, so two flushes never share a key. The gateway id is
 * percent-encoded, so it can never add a path segment.
 */
export function flushPath(
  gatewayId: string,
  minSeq: HLCTimestamp,
  maxSeq: HLCTimestamp,
  format: FlushFormat,
  at: Date,
): string {
  const day = at.toISOString().slice(0, 10);
  return `deltas/${day}/${encodeURIComponent(gatewayId)}/${minSeq}-${maxSeq}.${format}`;
}
