/**
 * @module conflict/order
 * The total order that decides which write wins.
 */
import type { HLCTimestamp } from "../hlc/timestamp.js";

/** What identifies a write in the last-writer-wins order. */
export interface WriteStamp {
  readonly hlc: HLCTimestamp;
  readonly clientId: string;
}

/**
 * Orders two writes: the higher HLC wins; equal HLCs are broken by the lexicographically higher
 * `clientId`. Returns a positive number when `a` wins, negative when `b` wins, 0 when tied.
 */
export function compareWrites(a: WriteStamp, b: WriteStamp): number {
  if (a.hlc !== b.hlc) return a.hlc > b.hlc ? 1 : -1;
  if (a.clientId !== b.clientId) return a.clientId > b.clientId ? 1 : -1;
  return 0;
}
