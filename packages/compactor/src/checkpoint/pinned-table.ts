/**
 * @module checkpoint/pinned-table
 * One synced table of the lake, pinned at a snapshot of `ns.T` and the state snapshot paired with
 * it, and read back bucket by bucket as each row's exact merge state (per-column stamps,
 * tombstones included). Pinning first and reading later is what lets a checkpoint be planned in
 * one pass and streamed in a second that sees exactly the same rows in the same order: both read
 * the same immutable files.
 */
import {
  type Catalogue,
  currentSnapshot,
  decodeCell,
  type IcebergSchema,
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
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type RowState,
  setOwn,
  type TableSchema,
} from "@lakesync/core";
import { PARQUET_EXPANSION } from "../compaction/compaction-options.js";
import { flushedThrough } from "./flushed-through.js";
import {
  filesByPartition,
  type PartitionFiles,
  partitionFiles,
  schemaOf,
} from "./partition-rows.js";

/** The files of a pinned table's snapshots, ready to read. */
interface PinnedFiles {
  readonly mainMeta: TableMetadata;
  readonly stateMeta: TableMetadata;
  readonly mainSchema: IcebergSchema;
  readonly stateSchema: IcebergSchema;
  readonly schema: TableSchema;
  readonly mainParts: ReadonlyMap<string, PartitionFiles>;
  readonly stateParts: ReadonlyMap<string, PartitionFiles>;
}

/** A synced table pinned at one snapshot. */
export interface PinnedTable {
  readonly table: string;
  /** The snapshot of `ns.T`, and the state snapshot paired with it (`undefined`: none yet). */
  readonly snapshotId: number | undefined;
  readonly stateSnapshotId: number | undefined;
  /** The highest `seq` of the gateway's log the snapshot holds (`undefined`: none recorded). */
  readonly flushedThrough: HLCTimestamp | undefined;
  /** `undefined` when the table has no snapshot to read yet. */
  readonly files: PinnedFiles | undefined;
}

/** A batch of one bucket's rows, each as its id and merge state. */
export interface BucketRows {
  readonly rows: readonly { readonly rowId: string; readonly state: RowState }[];
  readonly bytesRead: number;
  /** The bucket the batch is of, and how many buckets the table has. */
  readonly bucket: number;
  readonly buckets: number;
}

/**
 * Pins `table` of `namespace` at its current snapshot; `Ok(undefined)` when the lake does not
 * hold the table (or its state table). `gatewayId` limits the log ranges that count.
 */
export async function pinTable(
  lake: { readonly catalogue: Catalogue; readonly location: LakeLocation },
  namespace: Namespace,
  table: string,
  gatewayId: string | undefined,
): Promise<Result<PinnedTable | undefined, LakeSyncError>> {
  const { catalogue, location } = lake;
  const ids = lakeTables(namespace, table);
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
  const pinned = {
    table,
    snapshotId: snapshot?.["snapshot-id"],
    stateSnapshotId: paired?.["snapshot-id"],
    flushedThrough: flushedThrough(mainMeta, snapshot, gatewayId),
  };
  if (!snapshot || !paired) return Ok({ ...pinned, files: undefined });
  const mainScan = await planScan(location, mainMeta, { snapshotId: snapshot["snapshot-id"] });
  if (!mainScan.ok) return mainScan;
  const stateScan = await planScan(location, stateMeta, { snapshotId: paired["snapshot-id"] });
  if (!stateScan.ok) return stateScan;
  // Both tables share the bucket spec of ADR-014, so a bucket of one joins the same bucket of the
  // other; tables partitioned differently are read as one group.
  const sameSpec = JSON.stringify(specFields(mainMeta)) === JSON.stringify(specFields(stateMeta));
  const mainSchema = schemaOf(mainMeta, snapshot);
  return Ok({
    ...pinned,
    files: {
      mainMeta,
      stateMeta,
      mainSchema,
      stateSchema: schemaOf(stateMeta, paired),
      schema: icebergToTableSchema(table, mainSchema),
      mainParts: sameSpec ? filesByPartition(mainScan.value) : merged(mainScan.value),
      stateParts: sameSpec ? filesByPartition(stateScan.value) : merged(stateScan.value),
    },
  });
}

/** Rows per batch handed out: small enough to hold, large enough to keep awaits rare. */
const BATCH = 1024;

/**
 * How many slices a bucket's join is cut into so that one slice's values fit `costLimit`: the
 * decoded values of the bucket's `ns.T` files are estimated from their Parquet size.
 */
function sliceCount(files: PartitionFiles | undefined, costLimit: number): number {
  const bytes = files?.data.reduce((n, f) => n + f.dataFile.fileSizeInBytes, 0) ?? 0;
  return Math.max(1, Math.ceil((bytes * PARQUET_EXPANSION) / Math.max(1, costLimit)));
}

/** A stable hash of a row id (FNV-1a over UTF-16 code units), to cut a bucket into slices. */
function slot(rowId: string, slices: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < rowId.length; i++) h = Math.imul(h ^ rowId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % slices;
}

/** The field id of the row id column. */
const rowIdField = (schema: IcebergSchema) =>
  schema.fields.find((f) => f.name === ROW_ID_COLUMN)?.id ?? -1;

/**
 * The pinned table's rows, bucket by bucket, in batches, in the same order every time. A bucket's
 * state rows are joined with its values (`ns.T`), which are held in memory; a bucket whose values
 * would cost more than `joinCostLimit` is joined in slices (rows by a hash of their id), each
 * slice reading the bucket's files again, so memory is one slice's values, one decoded file
 * and one batch, whatever the bucket's size. Yields an `Err` (and stops) when a file cannot be
 * read or a bucket's delete keys exceed `deleteCostLimit`.
 */
export async function* bucketsOf(
  location: LakeLocation,
  pinned: PinnedTable,
  limits: {
    readonly deleteCostLimit: number;
    readonly joinCostLimit: number;
    readonly inputPartBytes: number;
  },
): AsyncGenerator<Result<BucketRows, LakeSyncError>> {
  const files = pinned.files;
  if (!files) return;
  const mainId = rowIdField(files.mainSchema);
  const stateId = rowIdField(files.stateSchema);
  let bucket = 0;
  for (const [key, stateFiles] of files.stateParts) {
    const mainFiles = files.mainParts.get(key);
    const slices = sliceCount(mainFiles, limits.joinCostLimit);
    const position = { bucket: bucket++, buckets: files.stateParts.size };
    for (let slice = 0; slice < slices; slice++) {
      const inSlice = (rowId: unknown): rowId is string =>
        typeof rowId === "string" && (slices === 1 || slot(rowId, slices) === slice);
      let bytesRead = 0;
      const values = new Map<string, Row>();
      const main = mainFiles
        ? partitionFiles(location, files.mainMeta, files.mainSchema, mainFiles, limits)
        : undefined;
      for await (const file of main ?? []) {
        if (!file.ok) return yield file;
        bytesRead += file.value.bytesRead;
        const { columns, rowCount, live } = file.value;
        const ids = columns.get(mainId) ?? [];
        const cells = files.schema.columns.map((c) => {
          const id = files.mainSchema.fields.find((f) => f.name === c.name)?.id ?? -1;
          return { name: c.name, type: c.type, values: columns.get(id) ?? [] };
        });
        for (let i = 0; i < rowCount; i++) {
          const rowId = ids[i];
          if (!inSlice(rowId) || !live(i)) continue;
          const row: Record<string, Row[string]> = {};
          for (const c of cells) setOwn(row, c.name, decodeCell(c.type, c.values[i] ?? null));
          values.set(rowId, row);
        }
      }
      const states = partitionFiles(
        location,
        files.stateMeta,
        files.stateSchema,
        stateFiles,
        limits,
      );
      for await (const file of states) {
        if (!file.ok) return yield file;
        bytesRead += file.value.bytesRead;
        const { columns, rowCount, live } = file.value;
        const ids = columns.get(stateId) ?? [];
        const fields = files.stateSchema.fields.map((f) => ({
          name: f.name,
          values: columns.get(f.id) ?? [],
        }));
        let rows: { rowId: string; state: RowState }[] = [];
        for (let i = 0; i < rowCount; i++) {
          if (!inSlice(ids[i]) || !live(i)) continue;
          const stored: Record<string, unknown> = Object.create(null);
          for (const f of fields) stored[f.name] = f.values[i] ?? null;
          const joined = rowStateOf(stored, values.get(ids[i] as string));
          if (!joined.ok) return yield joined;
          rows.push(joined.value);
          if (rows.length < BATCH) continue;
          yield Ok({ rows, bytesRead, ...position });
          rows = [];
          bytesRead = 0;
        }
        if (rows.length > 0 || bytesRead > 0) yield Ok({ rows, bytesRead, ...position });
        bytesRead = 0;
      }
    }
  }
}

const specFields = (metadata: TableMetadata) =>
  (
    metadata["partition-specs"].find((s) => s["spec-id"] === metadata["default-spec-id"])?.fields ??
    []
  ).map((f) => [f["source-id"], f.transform]);

/** All of a plan's files as one group (keyed like an unpartitioned table's). */
function merged(scan: Parameters<typeof filesByPartition>[0]): Map<string, PartitionFiles> {
  return new Map([["[]", { data: [...scan.dataFiles], deletes: [...scan.deleteFiles] }]]);
}
