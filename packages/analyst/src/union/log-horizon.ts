/**
 * @module union/log-horizon
 * Where a gateway's retained log begins, found through pulls alone: a pull from a cursor older
 * than the log's horizon is `CURSOR_EXPIRED`, a pull from the horizon or later is not, so the
 * horizon is the smallest cursor a pull accepts (a bisection over 63 bits, one one-delta page per
 * probe). A union read needs it when the gateway trimmed flushed entries of other tables past the
 * last flush of the table it reads: every entry the gateway trimmed was flushed, so the table's
 * unflushed deltas all follow the horizon.
 */
import { Err, type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { AnalystError } from "../errors.js";
import type { PendingDeltaSource } from "./pull-page.js";

/** Above every HLC (a 48-bit wall clock and a 16-bit counter) and within a signed 64-bit integer. */
const LAST_CURSOR = 2n ** 63n - 1n;

/**
 * The horizon of `source`'s log: the smallest cursor after `expired` (a cursor its pulls refuse
 * as `CURSOR_EXPIRED`) that they accept. Horizons only rise, so the answer is a cursor that was
 * accepted, and every cursor below it was refused at some moment of the search. `Err`: the
 * source's errors other than `CURSOR_EXPIRED`, or `GATEWAY_UNAVAILABLE` when no cursor is accepted.
 */
export async function logHorizon(
  source: PendingDeltaSource,
  expired: HLCTimestamp,
): Promise<Result<HLCTimestamp, LakeSyncError>> {
  let refused: bigint = expired;
  let accepted = LAST_CURSOR;
  const last = await source.pull(accepted as HLCTimestamp, 1);
  if (!last.ok)
    return last.error.code === "CURSOR_EXPIRED"
      ? Err(
          new AnalystError("GATEWAY_UNAVAILABLE", "the gateway's log accepts no cursor", {
            cause: last.error,
          }),
        )
      : last;
  while (accepted - refused > 1n) {
    const middle = (refused + accepted) / 2n;
    const probe = await source.pull(middle as HLCTimestamp, 1);
    if (probe.ok) accepted = middle;
    else if (probe.error.code === "CURSOR_EXPIRED") refused = middle;
    else return probe;
  }
  return Ok(accepted as HLCTimestamp);
}
