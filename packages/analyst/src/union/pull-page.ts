/**
 * @module union/pull-page
 * Where a union read gets the gateway's unflushed deltas: a {@link PendingDeltaSource} pages
 * through the gateway's log after a sequence number. Two sources exist: a gateway in the same
 * process (`inProcessSource`) and one over HTTP with an admin token (`httpSource`).
 */
import type { HLCTimestamp, LakeSyncError, Result, RowDelta } from "@lakesync/core";

/** One page of a gateway's log after a cursor. */
export interface PullPage {
  readonly deltas: readonly RowDelta[];
  /** The cursor for the next page (the gateway's sequence number of the last entry read). */
  readonly serverHlc: HLCTimestamp;
  readonly hasMore: boolean;
  /** Rows that left the caller's view (only under sync rules). */
  readonly evicted?: readonly { readonly table: string; readonly rowId: string }[];
}

/** A gateway's log, paged after a cursor; see the module comment. */
export interface PendingDeltaSource {
  /** The gateway whose log this is (its flushes carry it as `lakesync.gateway-id`). */
  readonly gatewayId: string;
  /**
   * `Ok` when pulls see every delta; `Err(AnalystError)` (`PULL_FILTERED`) when the gateway
   * filters pulls by sync rules (and the source was not told to accept that), so a union read
   * would silently miss rows.
   */
  checkComplete(): Promise<Result<void, LakeSyncError>>;
  /**
   * True when pulls read the gateway's raw log, whose cursors expire only when flushed entries
   * are trimmed (never on a change of sync rules): a union read may then resume from the log's
   * horizon when other tables' flushes trimmed it past the table's last flush.
   */
  readonly rawLog?: boolean;
  /** The entries after `since`, at most `max` per page (0 for the gateway's default). */
  pull(since: HLCTimestamp, max: number): Promise<Result<PullPage, LakeSyncError>>;
}
