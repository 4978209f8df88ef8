/**
 * @module checkpoint/partition-rows
 * Reading a snapshot one partition at a time: the scan plan's files grouped by partition, and
 * the data files of one group decoded part by part, with the deletes that apply to them. Memory
 * is one part's columns and the partition's delete keys, not the table's rows.
 */
import {
  currentSchema,
  type IcebergSchema,
  type LakeLocation,
  partitionKey,
  type ScanFile,
  type ScanPlan,
  type Snapshot,
  type TableMetadata,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { fieldsToRead, isDeleted, readDeleteIndex } from "../compaction/delete-index.js";
import { inputParts } from "../compaction/input-parts.js";

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

/** One part of a data file of a partition, decoded: its columns by field id and which rows are live. */
export interface PartitionFile {
  readonly columns: ReadonlyMap<number, readonly unknown[]>;
  readonly rowCount: number;
  /** False for a row (of this part) an equality or position delete removed. */
  readonly live: (row: number) => boolean;
  readonly bytesRead: number;
}

/**
 * The data files of one partition, decoded one part at a time (a small file whole, a large one a
 * run of row groups: `inputParts`) with the partition's deletes applied (see the module comment):
 * memory is the delete keys and one part. Yields an `Err` and stops for the storage's or Parquet
 * reader's error, or `OVER_BUDGET` for deletes above `limits.deleteCostLimit` or a row group
 * above `limits.inputPartBytes`.
 */
export async function* partitionFiles(
  location: LakeLocation,
  metadata: TableMetadata,
  schema: IcebergSchema,
  files: PartitionFiles,
  limits: { readonly deleteCostLimit: number; readonly inputPartBytes: number },
): AsyncGenerator<Result<PartitionFile, LakeSyncError>> {
  const deletes = await readDeleteIndex(location, metadata, files.deletes, limits.deleteCostLimit);
  if (!deletes.ok) return yield deletes;
  const index = deletes.value;
  const wanted = fieldsToRead(schema, metadata, index);
  let bytesRead = index.bytesRead;
  for (const file of files.data) {
    const path = file.dataFile.filePath;
    for await (const part of inputParts(location, file.dataFile, wanted, limits.inputPartBytes)) {
      if (!part.ok) return yield part;
      const { columns, rowCount, firstRow } = part.value;
      const live = (row: number) =>
        !isDeleted(index, path, file.sequenceNumber, columns, row, firstRow);
      yield Ok({ columns, rowCount, live, bytesRead: bytesRead + part.value.bytesRead });
      bytesRead = 0;
    }
  }
}
