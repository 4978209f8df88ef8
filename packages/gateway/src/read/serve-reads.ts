/**
 * @module read/serve-reads
 * The gateway's read paths: pull pages for clients (filtered, with moves), the raw log for
 * trusted readers, and the gateway's version of rows whose writes were refused.
 */
import {
  type Claims,
  Err,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowKey,
  rowKey,
  rowStateToDeltas,
} from "@lakesync/core";
import type { RowRef, SyncPull, SyncResponse } from "@lakesync/proto";
import type { Log } from "../log/log.js";
import type { DeltaRefusal } from "../push/push-authoriser.js";
import type { RowStates } from "../state/row-states.js";
import { buildPullPage } from "./pull-page.js";
import type { ReadPermissions } from "./read-permissions.js";

/** What the read paths read. */
export interface ReadParts {
  readonly log: Log;
  readonly rows: RowStates;
  readonly reads: ReadPermissions;
  /** The last change of sync rules, if any: older cursors expire. */
  readonly rulesSince: () => HLCTimestamp | undefined;
  /** The page size for `max = 0`, and the largest page. */
  readonly pages: { readonly fallback: number; readonly max: number };
}

function pageSize(parts: ReadParts, requested: number): number {
  return requested === 0 ? parts.pages.fallback : Math.min(requested, parts.pages.max);
}

/**
 * One pull page for `claims`: deltas of rows in view, rows that entered it whole, evictions of
 * rows that left it. `Err(CURSOR_EXPIRED)` for a cursor older than the retained log or than the
 * last change of sync rules.
 */
export function servePull(
  parts: ReadParts,
  pull: SyncPull,
  claims: Claims,
): Result<SyncResponse, LakeSyncError> {
  const { log, reads, rows } = parts;
  const since = parts.rulesSince();
  if (pull.sinceHlc < log.horizon || (since !== undefined && pull.sinceHlc < since))
    return Err(
      new LakeSyncError(
        "CURSOR_EXPIRED",
        pull.sinceHlc < log.horizon
          ? `cursor ${pull.sinceHlc} is older than the retained log (${log.horizon}); start again from a checkpoint`
          : `cursor ${pull.sinceHlc} is older than the last change of sync rules (${since}); start again from a checkpoint`,
      ),
    );
  const transition = reads.transitions(claims);
  const page = log.read(
    pull.sinceHlc,
    pageSize(parts, pull.maxDeltas),
    (entry) => transition(entry) !== "skip",
  );
  const built = buildPullPage(page.entries, transition, rows, reads.rowFilter(claims));
  return Ok({
    deltas: built.deltas,
    serverHlc: page.cursor,
    hasMore: page.hasMore,
    ...(built.evicted.length > 0 ? { evicted: built.evicted } : {}),
  });
}

/** The raw log after `since`, unfiltered; `Err(CURSOR_EXPIRED)` before the retained log. */
export function readRawLog(
  parts: ReadParts,
  since: HLCTimestamp,
  maxDeltas: number,
): Result<SyncResponse, LakeSyncError> {
  const { log } = parts;
  if (since < log.horizon)
    return Err(
      new LakeSyncError(
        "CURSOR_EXPIRED",
        `cursor ${since} is older than the retained log (${log.horizon})`,
      ),
    );
  const page = log.read(since, pageSize(parts, maxDeltas), () => true);
  return Ok({
    deltas: page.entries.map((e) => e.delta),
    serverHlc: page.cursor,
    hasMore: page.hasMore,
  });
}

/**
 * The gateway's version of the rows whose deltas were refused, for the caller to put its
 * replica back: whole rows it may read, evictions for the others.
 */
export function refusedRows(
  parts: ReadParts,
  refused: readonly DeltaRefusal[],
  claims: Claims,
): { deltas: RowDelta[]; evicted: RowRef[] } {
  const visible = parts.reads.rowFilter(claims);
  const deltas: RowDelta[] = [];
  const evicted: RowRef[] = [];
  const seen = new Set<RowKey>();
  for (const { table, rowId } of refused) {
    const key = rowKey(table, rowId);
    if (seen.has(key)) continue;
    seen.add(key);
    const state = parts.rows.get(table, rowId);
    if (state && visible(table, rowId)) deltas.push(...rowStateToDeltas(table, rowId, state));
    else evicted.push({ table, rowId });
  }
  return { deltas, evicted };
}
