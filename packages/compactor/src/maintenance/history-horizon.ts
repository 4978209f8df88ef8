/**
 * @module maintenance/history-horizon
 * How far back the delta history answers. History expiry folds the deltas older than the
 * retention into one consolidated state per row (ADR-015), and records the horizon in the table
 * property {@link HISTORY_RETAINED_FROM_PROPERTY} before it removes anything: every delta with an
 * HLC at or above the horizon is kept as it was, so folding the history up to any HLC at or above
 * it gives the exact state; below it, the history cannot answer.
 *
 * @example
 * const ok = await checkHistoryAnswers({ catalogue, namespace: ["gw"] }, hlc);
 * if (!ok.ok && ok.error.code === "BEYOND_RETENTION") console.log(ok.error.message);
 */
import { type Catalogue, HISTORY_TABLE, type Namespace } from "@lakesync/catalogue";
import { Err, type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CompactorError } from "../errors.js";

/** History-table property: the HLC from which every delta is kept as it was (decimal). */
export const HISTORY_RETAINED_FROM_PROPERTY = "lakesync.history.retained-from-hlc";

/** Which history to ask about. */
export interface HistoryLocation {
  readonly catalogue: Catalogue;
  readonly namespace: Namespace;
}

/**
 * The oldest HLC the namespace's history still answers, or `undefined` when it reaches back to
 * the first flush (nothing ever expired, or there is no history yet). `Err`: the catalogue's.
 */
export async function oldestAnswerableHlc(
  history: HistoryLocation,
): Promise<Result<HLCTimestamp | undefined, LakeSyncError>> {
  const loaded = await history.catalogue.loadTable({
    namespace: history.namespace,
    name: HISTORY_TABLE,
  });
  if (!loaded.ok) return loaded.error.code === "NO_SUCH_TABLE" ? Ok(undefined) : loaded;
  const declared = loaded.value.metadata.properties?.[HISTORY_RETAINED_FROM_PROPERTY];
  if (declared === undefined || !/^\d+$/.test(declared)) return Ok(undefined);
  return Ok(BigInt(declared) as HLCTimestamp);
}

/**
 * `Ok` when the history answers time travel to `hlc`; `Err(CompactorError)`
 * (`BEYOND_RETENTION`) naming the horizon when `hlc` is older; the catalogue's error otherwise.
 */
export async function checkHistoryAnswers(
  history: HistoryLocation,
  hlc: HLCTimestamp,
): Promise<Result<void, LakeSyncError>> {
  const oldest = await oldestAnswerableHlc(history);
  if (!oldest.ok) return oldest;
  if (oldest.value !== undefined && hlc < oldest.value)
    return Err(
      new CompactorError(
        "BEYOND_RETENTION",
        `HLC ${hlc} is beyond the history of ${history.namespace.join(".")}: it answers from HLC ${oldest.value} on`,
      ),
    );
  return Ok(undefined);
}
