/**
 * @module checkpoint/partition-rows
 * Reading a snapshot one partition at a time: the scan plan's files grouped by partition, and
 * the live rows of one group (its data files minus the deletes that apply to them), keyed by the
 * schema's field names. Memory is one partition's rows, not the table's.
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

/**
 * The live rows of one partition's files (see the module comment). `Err`: the storage's or
 * Parquet reader's error, or `OVER_BUDGET` for deletes above `deleteCostLimit`.
 */
export async function readPartitionRows(
  location: LakeLocation,
  metadata: TableMetadata,
  schema: IcebergSchema,
  files: PartitionFiles,
  deleteCostLimit: number,
): Promise<Result<{ rows: Record<string, unknown>[]; bytesRead: number }, LakeSyncError>> {
  const deletes = await readDeleteIndex(location, metadata, files.deletes, deleteCostLimit);
  if (!deletes.ok) return deletes;
  const wanted = fieldsToRead(schema, metadata, deletes.value);
  let bytesRead = deletes.value.bytesRead;
  const rows: Record<string, unknown>[] = [];
  for (const file of files.data) {
    const bytes = await location.read(file.dataFile.filePath);
    if (!bytes.ok) return bytes;
    bytesRead += bytes.value.length;
    const read = await readFileColumns(bytes.value, wanted);
    if (!read.ok) return read;
    const { columns, rowCount } = read.value;
    for (let i = 0; i < rowCount; i++) {
      if (isDeleted(deletes.value, file.dataFile.filePath, file.sequenceNumber, columns, i))
        continue;
      const row: Record<string, unknown> = Object.create(null);
      for (const field of schema.fields) row[field.name] = columns.get(field.id)?.[i] ?? null;
      rows.push(row);
    }
  }
  return Ok({ rows, bytesRead });
}
