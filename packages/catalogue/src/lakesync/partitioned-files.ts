/**
 * @module lakesync/partitioned-files
 * Writing one flush's files into one table of the layout: the rows grouped by partition (an
 * Iceberg data file holds one partition), one data file per partition, and one equality-delete
 * file on `row_id` per partition listing the row ids to replace or remove. Keys are
 * `{table location}/data/{field}={value}/{uuid}.parquet` (deletes end in `-deletes.parquet`).
 */
import { Err, type LakeSyncError, Ok, type Result, setOwn } from "@lakesync/core";
import type { ParquetWriteOptions } from "@lakesync/parquet";
import type { DataFile, PartitionValue } from "../iceberg/content-file.js";
import { writeDataFile } from "../iceberg/data-file-writer.js";
import { currentSchema, defaultSpec } from "../iceberg/metadata.js";
import { partitionFields, partitionKey, partitionOf } from "../iceberg/partition.js";
import type { TableMetadata } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { ROW_ID_COLUMN, ROW_ID_FIELD_ID, tableDirectory } from "./layout.js";
import { parquetColumnName, parquetFileSchema } from "./parquet-names.js";

/** What {@link writePartitionedFiles} writes into one table. */
export interface PartitionedWrite {
  readonly location: LakeLocation;
  /** The table's metadata: its current schema, default spec and location are used. */
  readonly metadata: TableMetadata;
  /** Data rows keyed by the schema's field names. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Row ids whose older rows are to be deleted (equality deletes on `row_id`). */
  readonly deletedRowIds?: readonly string[];
  readonly parquet?: ParquetWriteOptions;
  /** A fresh unique file name stem. */
  readonly uuid: () => string;
}

/** The files written: their manifest descriptions, adapter keys and total size. */
export interface WrittenFiles {
  readonly files: readonly DataFile[];
  readonly keys: readonly string[];
  readonly bytes: number;
}

interface Group {
  readonly path: string;
  /** The partition tuple every row of the group has (computed once, when grouping). */
  readonly partition: Record<string, PartitionValue>;
  readonly rows: Record<string, unknown>[];
  readonly deletes: Record<string, unknown>[];
}

/**
 * Writes the rows and deletes of one flush into the table described by `write.metadata` and
 * stores the files through `write.location`. Returns `Err`: `INVALID_INPUT` for rows that do
 * not fit the schema or spec, Parquet's `SchemaError`, or the adapter's failure (the files
 * already stored are then removed, best effort).
 */
export async function writePartitionedFiles(
  write: PartitionedWrite,
): Promise<Result<WrittenFiles, LakeSyncError>> {
  const { metadata, location } = write;
  const schema = parquetFileSchema(currentSchema(metadata));
  if (!schema.ok) return schema;
  const spec = defaultSpec(metadata);
  const fields = partitionFields(spec, schema.value);
  if (!fields.ok) return fields;
  const names = new Map(
    currentSchema(metadata).fields.map((f) => [f.name, parquetColumnName(f.name)]),
  );
  const groups = new Map<string, Group>();
  const groupOf = (row: Record<string, unknown>): Result<Group, LakeSyncError> => {
    const tuple = partitionOf(fields.value, row);
    if (!tuple.ok) return tuple;
    const key = partitionKey(tuple.value);
    let group = groups.get(key);
    if (!group) {
      const path = fields.value.map(
        (f) =>
          `${tableDirectory(f.field.name)}=${tableDirectory(String(tuple.value[f.field.name]))}`,
      );
      group = { path: ["data", ...path].join("/"), partition: tuple.value, rows: [], deletes: [] };
      groups.set(key, group);
    }
    return Ok(group);
  };
  for (const row of write.rows) {
    const renamed: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row))
      setOwn(renamed, names.get(name) ?? name, value);
    const group = groupOf(renamed);
    if (!group.ok) return group;
    group.value.rows.push(renamed);
  }
  const rowIdName = parquetColumnName(ROW_ID_COLUMN);
  for (const rowId of write.deletedRowIds ?? []) {
    const key = { [rowIdName]: rowId };
    const group = groupOf(key);
    if (!group.ok) return group;
    group.value.deletes.push(key);
  }
  const pending: { uri: string; bytes: Uint8Array; file: DataFile }[] = [];
  for (const group of groups.values()) {
    for (const content of ["data", "equality-deletes"] as const) {
      const rows = content === "data" ? group.rows : group.deletes;
      if (rows.length === 0) continue;
      const suffix = content === "data" ? "" : "-deletes";
      const uri = `${metadata.location}/${group.path}/${write.uuid()}${suffix}.parquet`;
      const written = writeDataFile({
        schema: schema.value,
        spec,
        rows,
        partition: group.partition,
        filePath: uri,
        content,
        ...(content === "data" ? {} : { equalityFieldIds: [ROW_ID_FIELD_ID] }),
        ...(write.parquet ? { parquet: write.parquet } : {}),
      });
      if (!written.ok) return written;
      pending.push({ uri, bytes: written.value.bytes, file: written.value.dataFile });
    }
  }
  const stored = await Promise.all(pending.map((p) => location.write(p.uri, p.bytes)));
  const failed = stored.find((s) => !s.ok);
  if (failed && !failed.ok) {
    await Promise.all(pending.map((p) => location.delete(p.uri)));
    return Err(failed.error);
  }
  const keys: string[] = [];
  for (const p of pending) {
    const key = location.keyOf(p.uri);
    if (key.ok) keys.push(key.value);
  }
  return Ok({
    files: pending.map((p) => p.file),
    keys,
    bytes: pending.reduce((sum, p) => sum + p.bytes.length, 0),
  });
}
