/**
 * @module checkpoint/lake-checkpoint
 * A new client's initial sync served from the lake instead of the gateway's memory. For each
 * synced table, the current snapshot of `ns.T` and the state snapshot paired with it are read
 * bucket by bucket; each row's exact merge state (per-column stamps, tombstones included) is
 * turned into the deltas that rebuild it (`rowStateToDeltas`), filtered by the caller's row
 * predicate (sync rules at serve time) and cut into byte-budgeted `CheckpointChunk`s. The result
 * says, per table, up to which `seq` of the gateway's log the snapshot holds (its log ranges);
 * the gateway serves its log after the lowest of them.
 *
 * Contract for the gateway: serve `chunks`, then the log from `servedFrom` (exclusive), filtered
 * as pulls are. A delta both in a chunk and in the log is applied twice, which the merge makes
 * harmless. Tables the lake does not hold yet are not in the chunks: none of their deltas was
 * flushed, so the gateway's log still holds them all (it trims only flushed entries); serve
 * those tables from the gateway's own state as before.
 *
 * @example
 * const rules = …; const claims = …;
 * const cp = await lakeCheckpoint({ catalogue, location, namespace: ["gw"], gatewayId: "gw",
 *   allowed: (table, row) => rowAllowed(table, row, rules, claims) });
 * if (cp.ok) serve(cp.value.chunks, cp.value.servedFrom);
 */
import {
  type Catalogue,
  currentSnapshot,
  decodeCell,
  icebergToTableSchema,
  type LakeLocation,
  lakeTables,
  type Namespace,
  pairedStateSnapshot,
  planScan,
  ROW_ID_COLUMN,
  rowStateOf,
  type TableMetadata,
} from "@lakesync/catalogue";
import {
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type RowState,
  rowStateToDeltas,
  setOwn,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { compactionLimits } from "../compaction/compaction-options.js";
import { CompactorError, wrapError } from "../errors.js";
import { namespaceTables } from "../lake-tables.js";
import { type ProgressListener, report } from "../progress.js";
import { type CheckpointPiece, ChunkCutter } from "./chunk-cutter.js";
import { flushedThrough } from "./flushed-through.js";
import { filesByPartition, readPartitionRows, schemaOf } from "./partition-rows.js";

/** The default byte budget of one chunk (the gateway's: 16 MiB). */
export const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;

/** What {@link lakeCheckpoint} reads and how it cuts it. */
export interface LakeCheckpointOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
  /** Whose log ranges count (default: any gateway's). */
  readonly gatewayId?: string;
  /** The synced tables to include (default: every synced table of the namespace). */
  readonly tables?: readonly string[];
  /**
   * Whether the caller may receive a row, judged by the last value written to each of its
   * columns (deletes ignored, as the gateway judges; values hidden by a tombstone are not kept in
   * the lake and read as null). `state` is the row's whole merge state, for a caller (the
   * gateway) whose rule judges states. Default: every row.
   */
  readonly allowed?: (table: string, row: Row, rowId: string, state: RowState) => boolean;
  /** Estimated bytes of one chunk (default 16 MiB, at least 1024). */
  readonly chunkBytes?: number;
  /** Memory for the delete keys of one bucket (as the compactor's budget; default 96 MiB). */
  readonly memoryBudgetBytes?: number;
  /**
   * Most estimated bytes of deltas the checkpoint may hold (it is built in memory before it is
   * served); past it, `Err(OVER_BUDGET)`. Default: no limit.
   */
  readonly maxBytes?: number;
  readonly onProgress?: ProgressListener;
}

/** What the checkpoint holds of one table. */
export interface CheckpointTable {
  readonly table: string;
  /** The snapshot of `ns.T` read, and the state snapshot paired with it. */
  readonly snapshotId: number | undefined;
  readonly stateSnapshotId: number | undefined;
  /** The highest `seq` of the gateway's log the snapshot holds (`undefined`: none recorded). */
  readonly flushedThrough: HLCTimestamp | undefined;
  /** Rows sent (tombstoned ones included) and rows the predicate refused. */
  readonly rows: number;
  readonly refused: number;
}

/** A checkpoint built from the lake. */
export interface LakeCheckpoint {
  /** Numbered across the whole checkpoint; every chunk's `snapshotHlc` is `servedFrom`. */
  readonly chunks: readonly CheckpointChunk[];
  readonly tables: readonly CheckpointTable[];
  /** Serve the gateway's log after this `seq`: the lowest `flushedThrough` (zero if none). */
  readonly servedFrom: HLCTimestamp;
}

/** The values a sync rule judges a row by: each column's last written value. */
function lastValues(state: RowState): Row {
  const row: Record<string, Row[string]> = {};
  for (const [name, cell] of Object.entries(state.columns)) setOwn(row, name, cell.value);
  return row;
}

/**
 * Builds a checkpoint from the lake (see the module comment). `Err(CompactorError)`:
 * `INVALID_OPTIONS` (a chunk budget below 1024 bytes), `CHECKPOINT_FAILED` (the cause is the
 * catalogue's, storage's or reader's error), `OVER_BUDGET` (one bucket's delete keys, or the
 * whole checkpoint past `maxBytes`).
 */
export async function lakeCheckpoint(
  options: LakeCheckpointOptions,
): Promise<Result<LakeCheckpoint, LakeSyncError>> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isFinite(chunkBytes) || chunkBytes < 1024)
    return Err(new CompactorError("INVALID_OPTIONS", "chunkBytes must be at least 1024"));
  const limits = compactionLimits(
    options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes },
  );
  if (!limits.ok) return limits;
  const fail = (error: LakeSyncError) =>
    Err(
      error.code === "OVER_BUDGET"
        ? error
        : wrapError(
            "CHECKPOINT_FAILED",
            `building a checkpoint of ${options.namespace.join(".")}`,
            error,
          ),
    );
  let names = options.tables;
  if (!names) {
    const listed = await namespaceTables(options.catalogue, options.namespace);
    if (!listed.ok)
      return listed.error.code === "NO_SUCH_NAMESPACE"
        ? Ok({ chunks: [], tables: [], servedFrom: HLC_ZERO })
        : fail(listed.error);
    names = listed.value.synced;
  }
  const pieces: CheckpointPiece[] = [];
  const tables: CheckpointTable[] = [];
  const held = { bytes: 0 };
  for (const table of names) {
    const read = await checkpointTable(
      options,
      table,
      chunkBytes,
      limits.value.deleteCostLimit,
      pieces,
      held,
    );
    if (!read.ok) return fail(read.error);
    if (read.value) tables.push(read.value);
  }
  let servedFrom: HLCTimestamp | undefined;
  for (const t of tables)
    if (
      t.flushedThrough !== undefined &&
      (servedFrom === undefined || t.flushedThrough < servedFrom)
    )
      servedFrom = t.flushedThrough;
  const from = servedFrom ?? HLC_ZERO;
  const chunks = pieces.map(({ table, deltas }, chunkIndex) => ({
    table,
    payload: { kind: "deltas" as const, deltas },
    chunkIndex,
    chunkCount: pieces.length,
    snapshotHlc: from,
  }));
  return Ok({ chunks, tables, servedFrom: from });
}

/** Reads one synced table bucket by bucket into `pieces`; `undefined` when the lake lacks it. */
async function checkpointTable(
  options: LakeCheckpointOptions,
  table: string,
  chunkBytes: number,
  deleteCostLimit: number,
  pieces: CheckpointPiece[],
  held: { bytes: number },
): Promise<Result<CheckpointTable | undefined, LakeSyncError>> {
  const { catalogue, location } = options;
  const ids = lakeTables(options.namespace, table);
  const missing = (error: LakeSyncError) =>
    error.code === "NO_SUCH_TABLE" || error.code === "NO_SUCH_NAMESPACE";
  const main = await catalogue.loadTable(ids.main);
  if (!main.ok) return missing(main.error) ? Ok(undefined) : main;
  const state = await catalogue.loadTable(ids.state);
  if (!state.ok) return missing(state.error) ? Ok(undefined) : state;
  const mainMeta = main.value.metadata;
  const stateMeta = state.value.metadata;
  const snapshot = currentSnapshot(mainMeta);
  const paired = pairedStateSnapshot(mainMeta, snapshot, stateMeta);
  const schema = icebergToTableSchema(table, schemaOf(mainMeta, snapshot));
  const out = {
    table,
    snapshotId: snapshot?.["snapshot-id"],
    stateSnapshotId: paired?.["snapshot-id"],
    flushedThrough: flushedThrough(mainMeta, snapshot, options.gatewayId),
    rows: 0,
    refused: 0,
  };
  if (!snapshot || !paired) return Ok(out);
  const mainScan = await planScan(location, mainMeta, { snapshotId: snapshot["snapshot-id"] });
  if (!mainScan.ok) return mainScan;
  const stateScan = await planScan(location, stateMeta, { snapshotId: paired["snapshot-id"] });
  if (!stateScan.ok) return stateScan;
  // Both tables share the bucket spec of ADR-014, so a bucket of one joins the same bucket of the
  // other; tables partitioned differently are read as one group.
  const sameSpec = JSON.stringify(specFields(mainMeta)) === JSON.stringify(specFields(stateMeta));
  const mainParts = sameSpec ? filesByPartition(mainScan.value) : merged(mainScan.value);
  const stateParts = sameSpec ? filesByPartition(stateScan.value) : merged(stateScan.value);
  const stateSchema = schemaOf(stateMeta, paired);
  const mainSchema = schemaOf(mainMeta, snapshot);
  const cutter = new ChunkCutter(table, chunkBytes, pieces);
  let bucket = 0;
  let bytesRead = 0;
  for (const [key, stateFiles] of stateParts) {
    const values = new Map<string, Row>();
    const mainFiles = mainParts.get(key);
    if (mainFiles) {
      const rows = await readPartitionRows(
        location,
        mainMeta,
        mainSchema,
        mainFiles,
        deleteCostLimit,
      );
      if (!rows.ok) return rows;
      bytesRead += rows.value.bytesRead;
      for (const stored of rows.value.rows) {
        const rowId = stored[ROW_ID_COLUMN];
        if (typeof rowId !== "string") continue;
        const row: Record<string, Row[string]> = {};
        for (const column of schema.columns)
          setOwn(row, column.name, decodeCell(column.type, stored[column.name]));
        values.set(rowId, row);
      }
    }
    const states = await readPartitionRows(
      location,
      stateMeta,
      stateSchema,
      stateFiles,
      deleteCostLimit,
    );
    if (!states.ok) return states;
    bytesRead += states.value.bytesRead;
    for (const stored of states.value.rows) {
      const rowId = stored[ROW_ID_COLUMN];
      const joined = rowStateOf(stored, typeof rowId === "string" ? values.get(rowId) : undefined);
      if (!joined.ok) return joined;
      const { rowId: id, state } = joined.value;
      if (options.allowed && !options.allowed(table, lastValues(state), id, state)) {
        out.refused++;
        continue;
      }
      out.rows++;
      held.bytes += cutter.add(rowStateToDeltas(table, id, state));
      if (options.maxBytes !== undefined && held.bytes > options.maxBytes)
        return Err(
          new CompactorError(
            "OVER_BUDGET",
            `the checkpoint holds more than ${options.maxBytes} bytes of deltas (at table ${table})`,
          ),
        );
    }
    bucket++;
    report(options.onProgress, {
      operation: "checkpoint",
      table: `${options.namespace.join(".")}.${table}`,
      files: { done: bucket, total: stateParts.size },
      rows: { done: out.rows + out.refused, total: 0 },
      bytes: { read: bytesRead, written: 0 },
    });
  }
  cutter.finish();
  return Ok(out);
}

const specFields = (metadata: TableMetadata) =>
  (
    metadata["partition-specs"].find((s) => s["spec-id"] === metadata["default-spec-id"])?.fields ??
    []
  ).map((f) => [f["source-id"], f.transform]);

/** All of a plan's files as one group (keyed like an unpartitioned table's). */
function merged(scan: Parameters<typeof filesByPartition>[0]) {
  return new Map([["[]", { data: [...scan.dataFiles], deletes: [...scan.deleteFiles] }]]);
}
