/**
 * @module types
 * The messages of the wire protocol as the rest of LakeSync sees them: plain objects built from
 * the types of @lakesync/core (`RowDelta`, branded `HLCTimestamp`). The codecs turn these into
 * bytes and back; the generated protobuf-es types stay behind the `./gen` subpath.
 */
import type { ColumnDelta, HLCTimestamp, RowDelta } from "@lakesync/core";

/** Client to gateway: deltas from the client's outbox. */
export interface SyncPush {
  readonly clientId: string;
  readonly deltas: readonly RowDelta[];
  /** The newest server HLC the client has seen. */
  readonly lastSeenHlc: HLCTimestamp;
}

/** Client to gateway: a request for the deltas after `sinceHlc`. */
export interface SyncPull {
  readonly clientId: string;
  readonly sinceHlc: HLCTimestamp;
  /** At most this many deltas in the response; 0 lets the gateway choose. */
  readonly maxDeltas: number;
}

/** A delta of a push that the caller may not write. */
export interface DeltaRefusal {
  readonly deltaId: string;
  readonly table: string;
  readonly rowId: string;
  /** A stable code such as `FORBIDDEN`. */
  readonly code: string;
  readonly message: string;
}

/** A row of a table. */
export interface RowRef {
  readonly table: string;
  readonly rowId: string;
}

/**
 * Gateway to client: the answer to a push or one page of a pull. A push answer lists the
 * deltas it refused, with the gateway's version of those rows in `deltas` (rows the caller may
 * not read are in `evicted`); a pull page lists rows that left the caller's view in `evicted`,
 * to be applied after `deltas`.
 */
export interface SyncResponse {
  readonly deltas: readonly RowDelta[];
  /** The gateway's clock after handling the request. */
  readonly serverHlc: HLCTimestamp;
  /** True when more deltas are waiting: pull again from the last delta's HLC. */
  readonly hasMore: boolean;
  /** Push answers: refused deltas (absent or empty when every delta was accepted). */
  readonly refused?: readonly DeltaRefusal[];
  /** Rows to remove locally, after `deltas` (absent or empty: none). */
  readonly evicted?: readonly RowRef[];
}

/** One materialised row of a checkpoint and the newest write it contains. */
export interface CheckpointRow {
  readonly rowId: string;
  readonly columns: readonly ColumnDelta[];
  readonly hlc: HLCTimestamp;
  readonly clientId: string;
}

/** What a checkpoint chunk carries: materialised rows, or deltas of the chunk's table. */
export type CheckpointPayload =
  | { readonly kind: "rows"; readonly rows: readonly CheckpointRow[] }
  | { readonly kind: "deltas"; readonly deltas: readonly RowDelta[] };

/** Gateway to client: one chunk of a table's checkpoint, for the initial sync. */
export interface CheckpointChunk {
  readonly table: string;
  readonly payload: CheckpointPayload;
  /** Position of this chunk: `0 <= chunkIndex < chunkCount`. */
  readonly chunkIndex: number;
  readonly chunkCount: number;
  /** The checkpoint covers every change up to this HLC; pull from here afterwards. */
  readonly snapshotHlc: HLCTimestamp;
}

/**
 * What a notification carries: `changed` only says that something changed (pull); `deltas`
 * carries the subscriber's changes themselves (see {@link SyncNotification}).
 */
export type NotificationKind = "changed" | "deltas";

/**
 * Gateway to a subscribed client. Without `kind` (or with `changed`) something changed: pull.
 * With `kind: "deltas"` it carries every change of the log after `sinceHlc` up to `serverHlc`
 * as a pull from `sinceHlc` would deliver it to this subscriber (sync rules applied, rows that
 * entered its view whole, rows that left it in `evicted`), except the subscriber's own writes:
 * a client whose cursor is at least `sinceHlc` (and below `serverHlc`) applies `deltas`, then
 * `evicted`, and moves its cursor to `serverHlc`; any other client pulls.
 */
export interface SyncNotification {
  /** The log cursor after the change: pull from here, or (kind `deltas`) the new cursor. */
  readonly serverHlc: HLCTimestamp;
  /** Tables with new deltas the subscriber may see. */
  readonly tables: readonly string[];
  /** Kind `deltas`: the new deltas, already filtered by sync rules; otherwise empty. */
  readonly deltas: readonly RowDelta[];
  /** Absent means `changed`. */
  readonly kind?: NotificationKind;
  /** Kind `deltas`: the log cursor the deltas follow on (exclusive). */
  readonly sinceHlc?: HLCTimestamp;
  /** Kind `deltas`: rows that left the subscriber's view, removed after `deltas`. */
  readonly evicted?: readonly RowRef[];
}

/** Gateway to client: a request failed with a stable `code` (such as `CLOCK_DRIFT`). */
export interface ErrorResponse {
  readonly code: string;
  readonly message: string;
}

/** Options of every decoder. */
export interface DecodeOptions {
  /**
   * Recompute every delta's id with `deltaId()` and refuse a delta whose id does not match
   * (`INVALID_DELTA_ID`). Off by default: it costs a SHA-256 per delta, several times the rest
   * of decoding; the id's format (32 bytes) is always checked.
   */
  readonly verifyDeltaIds?: boolean;
}
