/**
 * @module flush/flush-target
 * Where a gateway flushes: the `FlushTarget` interface that any package can implement or wrap
 * (files in a lake, database upserts, several targets, an Iceberg commit), and the batch it is
 * given.
 */
import type {
  ColumnDelta,
  HLCTimestamp,
  LakeSyncError,
  Result,
  RowState,
  TableSchema,
} from "@lakesync/core";
import type { LogEntry } from "../log/log-entry.js";

/**
 * One table's share of a flush: the buffered entries of that table, in `seq` order. The
 * flusher cuts every flush into one batch per table, so one table's failure never holds back
 * another's.
 */
export interface FlushBatch {
  readonly gatewayId: string;
  readonly table: string;
  /** The table's schema, if registered. */
  readonly schema: TableSchema | undefined;
  /** Non-empty, in `seq` order. */
  readonly entries: readonly LogEntry[];
  /** The lowest and highest `seq` of the entries. */
  readonly range: { readonly min: HLCTimestamp; readonly max: HLCTimestamp };
  /** When the flush started. */
  readonly at: Date;
  /**
   * The merged state the gateway holds now for rows of this table (for targets that write whole
   * rows rather than deltas); rows never written are absent from the map.
   */
  rowStates(
    rowIds: readonly string[],
  ): Promise<Result<ReadonlyMap<string, RowState>, LakeSyncError>>;
}

/** What writing one batch produced, and the commit step that must follow, if any. */
export interface FlushWritten {
  /** Object keys written (lake targets). */
  readonly paths: readonly string[];
  /** Tables written (database targets). */
  readonly tables: readonly string[];
  /** Bytes written to objects. */
  readonly bytes: number;
  /**
   * The commit step, run once `write` succeeded (for example an Iceberg snapshot commit of the
   * files just written). The batch counts as flushed only when it succeeds too.
   */
  readonly commit?: () => Promise<Result<void, LakeSyncError>>;
}

/**
 * A flush destination. For each batch the flusher calls `write` (files, upserts), then the
 * commit step `write` returned, if any, and only after both succeed marks the batch flushed. A
 * failure at either step keeps the batch buffered; it is retried with back-off, so both steps
 * must be safe to repeat (idempotent, or able to recognise their own earlier success). Neither
 * may throw. Wrap a target to add a step before or after its own.
 */
export interface FlushTarget {
  /** For logs and banners, e.g. `file-system lake at /data/lake`. */
  readonly description: string;
  write(batch: FlushBatch): Promise<Result<FlushWritten, LakeSyncError>>;
}

/** The part of a `LakeAdapter` a file flush needs. */
export interface LakeWriter {
  putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, LakeSyncError>>;
}

/** The part of a `DatabaseAdapter` a flush needs. */
export interface RowWriter {
  ensureTable(schema: TableSchema): Promise<Result<void, LakeSyncError>>;
  putRows(
    table: string,
    rows: readonly {
      rowId: string;
      hlc: HLCTimestamp;
      clientId: string;
      columns: readonly ColumnDelta[];
    }[],
  ): Promise<Result<void, LakeSyncError>>;
  deleteRows(
    table: string,
    rows: readonly { rowId: string; hlc: HLCTimestamp; clientId: string }[],
  ): Promise<Result<void, LakeSyncError>>;
}

/** True when an adapter can take rows (it is a database). */
export function isRowWriter(adapter: LakeWriter | RowWriter): adapter is RowWriter {
  return typeof (adapter as Partial<RowWriter>).putRows === "function";
}
