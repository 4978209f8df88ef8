/**
 * @module checkpoint/partition-rows
 * Reading a snapshot one partition at a time: the scan plan's files grouped by partition, and
 * the data files of one group decoded one by one, with the deletes that apply to them. Memory
 * is one file's columns and the partition's delete keys, not the table's rows.
 */
import {
  currentSchema,
  type IcebergSchema,
  type LakeLocation,
  partitionKey,
  readFileColumns,
  type ScanFile,
  type ScanPlan,
  type Snapshot,
  type TableMetadata,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { fieldsToRead, isDeleted, readDeleteIndex } from "../compaction/delete-index.js";

/** The files of one partition of a snapshot. */
export interface PartitionFiles {
  readonly data: ScanFile[];
  readonly deletes: ScanFile[];
}

/** The schema a snapshot was written with (the current one when it does not say). */
export function schemaOf(metadata: TableMetadata, snapshot: Snapshot | undefined): IcebergSchema {
  const id = snapshot?.["schema-id"];
  return metadata.schemas.find((s) => s["schema-id"] === id) ?? currentSchema(metadata);
}

/**
 * The plan's files by partition key (`partitionKey` of the tuple). Equality deletes written with
 * an unpartitioned spec apply to every partition, so they join every group.
 */
export function filesByPartition(scan: ScanPlan): Map<string, PartitionFiles> {
  const out = new Map<string, PartitionFiles>();
  const group = (file: ScanFile) => {
    const key = partitionKey(file.dataFile.partition);
    let files = out.get(key);
    if (!files) {
      files = { data: [], deletes: [] };
      out.set(key, files);
    }
    return files;
  };
  const global: ScanFile[] = [];
  for (const file of scan.dataFiles) group(file).data.push(file);
  for (const file of scan.deleteFiles) {
    if (file.dataFile.content === 2 && scan.unpartitionedSpecIds.has(file.specId))
      global.push(file);
    else group(file).deletes.push(file);
  }
  for (const files of out.values()) files.deletes.push(...global);
  return out;
}

/** One data file of a partition, decoded: its columns by field id and which rows are live. */
export interface PartitionFile {
  readonly columns: ReadonlyMap<number, readonly unknown[]>;
  readonly rowCount: number;
  /** False for a row an equality or position delete removed. */
  readonly live: (row: number) => boolean;
  readonly bytesRead: number;
}

/**
 * The data files of one partition, decoded one at a time with the partition's deletes applied
 * (see the module comment): memory is the delete keys and one file. Yields an `Err` and stops
 * for the storage's or Parquet reader's error, or `OVER_BUDGET` for deletes above
 * `deleteCostLimit`.
 */
export async function* partitionFiles(
  location: LakeLocation,
  metadata: TableMetadata,
  schema: IcebergSchema,
  files: PartitionFiles,
  deleteCostLimit: number,
): AsyncGenerator<Result<PartitionFile, LakeSyncError>> {
  const deletes = await readDeleteIndex(location, metadata, files.deletes, deleteCostLimit);
  if (!deletes.ok) return yield deletes;
  const index = deletes.value;
  const wanted = fieldsToRead(schema, metadata, index);
  let bytesRead = index.bytesRead;
  for (const file of files.data) {
    const bytes = await location.read(file.dataFile.filePath);
    if (!bytes.ok) return yield bytes;
    bytesRead += bytes.value.length;
    const read = await readFileColumns(bytes.value, wanted);
    if (!read.ok) return yield read;
    const { columns, rowCount } = read.value;
    const path = file.dataFile.filePath;
    const live = (row: number) => !isDeleted(index, path, file.sequenceNumber, columns, row);
    yield Ok({ columns, rowCount, live, bytesRead });
    bytesRead = 0;
  }
}
