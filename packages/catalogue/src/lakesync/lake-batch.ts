/**
 * @module lakesync/lake-batch
 * What the Iceberg flush target takes and gives: the catalogue's own, structural copies of the
 * members of the gateway's `FlushBatch`, `FlushWritten` and `FlushTarget` it uses. The catalogue
 * may not import `@lakesync/gateway` (the package graph forbids it); a gateway's batch is a
 * {@link LakeSyncBatch}, and {@link LakeSyncFlushTarget} is assignable to its `FlushTarget`.
 */
import type {
  HLCTimestamp,
  LakeSyncError,
  Result,
  RowDelta,
  RowState,
  TableSchema,
} from "@lakesync/core";

/** One accepted delta with the gateway sequence number it was logged under. */
export interface LakeSyncLogEntry {
  /** The gateway's HLC when it accepted the delta: unique and increasing in log order. */
  readonly seq: HLCTimestamp;
  readonly delta: RowDelta;
}

/** One table's share of a gateway flush (the gateway's `FlushBatch`). */
export interface LakeSyncBatch {
  readonly gatewayId: string;
  readonly table: string;
  /** The table's schema, if registered. */
  readonly schema: TableSchema | undefined;
  /** Non-empty, in `seq` order, all of `table`. */
  readonly entries: readonly LakeSyncLogEntry[];
  /** The lowest and highest `seq` of the entries. */
  readonly range: { readonly min: HLCTimestamp; readonly max: HLCTimestamp };
  /** When the flush started. */
  readonly at: Date;
  /** The gateway's current merged state of these rows (rows never written are absent). */
  rowStates(
    rowIds: readonly string[],
  ): Promise<Result<ReadonlyMap<string, RowState>, LakeSyncError>>;
}

/** What writing one batch produced, and the commit step that must follow. */
export interface LakeSyncFlushWritten {
  /** Adapter keys of the Parquet files written. */
  readonly paths: readonly string[];
  /** The Iceberg tables the batch goes to, as `namespace.name`. */
  readonly tables: readonly string[];
  /** Bytes written. */
  readonly bytes: number;
  /** Commits the written files (state, then table, then history); safe to repeat. */
  readonly commit: () => Promise<Result<void, LakeSyncError>>;
}

/** A flush destination, structurally the gateway's `FlushTarget`. */
export interface LakeSyncFlushTarget {
  readonly description: string;
  write(batch: LakeSyncBatch): Promise<Result<LakeSyncFlushWritten, LakeSyncError>>;
}
