/**
 * @module compaction/partition-fold
 * Folding one partition: its delete files read into an index (or, when their keys do not fit
 * the budget, applied in chunks as per-file bitmaps: `delete-marks`), then each data file to
 * rewrite read in turn, its deleted rows dropped and the others handed to the partition's output
 * files. Only one part of one data file is decoded at a time (the file, or a run of its row
 * groups: `input-parts`), so memory is the delete keys (or bitmaps), one part and the rows
 * waiting for the next row group of the output file, whatever the partition's size.
 */
import {
  type IcebergSchema,
  type LakeLocation,
  type PartitionSpec,
  parquetColumnName,
  type TableMetadata,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result, setOwn } from "@lakesync/core";
import type { CompactionLimits } from "./compaction-options.js";
import { valueCost } from "./compaction-options.js";
import type { PartitionGroup } from "./compaction-plan.js";
import { type DeleteIndex, fieldsToRead, isDeleted, readDeleteIndex } from "./delete-index.js";
import { chunkDeletes, type DeleteMarks, isMarked, markDeletedRows } from "./delete-marks.js";
import { readInParts } from "./input-parts.js";
import { OutputFiles } from "./output-files.js";

/** What folding a partition needs. */
export interface FoldContext {
  readonly location: LakeLocation;
  readonly metadata: TableMetadata;
  readonly schema: IcebergSchema;
  readonly spec: PartitionSpec;
  readonly limits: CompactionLimits;
  readonly uuid: () => string;
  readonly compression: "snappy" | "zstd" | "none";
  /**
   * Called as the fold goes: `file` is true after a data file was read (with its rows), false
   * after the delete files were read or the last output file written.
   */
  readonly onFile: (file: boolean, rows: number, bytesRead: number, bytesWritten: number) => void;
}

/** What folding a partition did; `output` holds the files written (discard them on failure). */
export interface FoldedPartition {
  readonly output: OutputFiles;
  readonly rowsRead: number;
  readonly bytesRead: number;
}

/**
 * Folds `group` (see the module comment). On `Err` (a read, decode or write failure; an index
 * over budget) the files written so far are deleted.
 */
export async function foldPartition(
  context: FoldContext,
  group: PartitionGroup,
): Promise<Result<FoldedPartition, LakeSyncError>> {
  const { location, metadata, schema, limits } = context;
  const inputBytes = group.rewrite.reduce((n, f) => n + f.dataFile.fileSizeInBytes, 0);
  const inputRows = group.rewrite.reduce((n, f) => n + f.dataFile.recordCount, 0);
  const largest = group.rewrite.reduce(
    (best, f) => (f.dataFile.recordCount > best.dataFile.recordCount ? f : best),
    group.rewrite[0] ?? { dataFile: { fileSizeInBytes: inputBytes, recordCount: inputRows } },
  );
  const output = new OutputFiles({
    location,
    tableLocation: metadata.location,
    schema,
    spec: context.spec,
    partition: group.partition,
    limits,
    // The largest input file has the least footer per row: the best guess before a file is written.
    bytesPerRow: largest.dataFile.fileSizeInBytes / Math.max(1, largest.dataFile.recordCount),
    uuid: context.uuid,
    compression: context.compression,
  });
  const fail = async (error: LakeSyncError) => {
    await output.discard();
    return { ok: false as const, error };
  };
  // Deletes that fit the budget are indexed once; a backlog that does not is applied in chunks.
  const chunks = chunkDeletes(group.deletes, limits.deleteCostLimit);
  let bytesRead = 0;
  let index: DeleteIndex | undefined;
  let marks: DeleteMarks | undefined;
  if (chunks.length <= 1) {
    const read = await readDeleteIndex(location, metadata, group.deletes, limits.deleteCostLimit);
    if (read.ok) {
      index = read.value;
      bytesRead = read.value.bytesRead;
    } else if (read.error.code !== "OVER_BUDGET" || group.deletes.length < 2) {
      return fail(read.error);
    }
  }
  if (!index) {
    const marked = await markDeletedRows(
      location,
      metadata,
      group.rewrite,
      chunks.length > 1 ? chunks : [[...group.deletes]],
      limits.deleteCostLimit,
      limits.inputFileLimitBytes,
    );
    if (!marked.ok) return fail(marked.error);
    marks = marked.value.marks;
    bytesRead = marked.value.bytesRead;
  }
  context.onFile(false, 0, bytesRead, 0);
  let rowsRead = 0;
  const wanted = index
    ? fieldsToRead(schema, metadata, index)
    : schema.fields.map((f) => ({ id: f.id, name: f.name }));
  const names = schema.fields.map((f) => ({ id: f.id, name: parquetColumnName(f.name) }));
  for (const file of group.rewrite) {
    const path = file.dataFile.filePath;
    const bits = marks?.get(path);
    let rows = 0;
    const read = await readInParts(
      location,
      file.dataFile,
      wanted,
      limits.inputFileLimitBytes,
      async (columns, rowCount, firstRow) => {
        rows += rowCount;
        for (let i = 0; i < rowCount; i++) {
          if (
            index
              ? isDeleted(index, path, file.sequenceNumber, columns, i, firstRow)
              : isMarked(bits, firstRow + i)
          )
            continue;
          const row: Record<string, unknown> = {};
          let cost = 64;
          for (const { id, name } of names) {
            const value = columns.get(id)?.[i] ?? null;
            // `__proto__` is a legal column name: assignment would set the prototype instead.
            if (name === "__proto__") setOwn(row, name, value);
            else row[name] = value;
            cost += 16 + valueCost(value);
          }
          const added = await output.add(row, cost);
          if (!added.ok) return added;
        }
        return Ok(undefined);
      },
    );
    if (!read.ok) return fail(read.error);
    bytesRead += read.value;
    rowsRead += rows;
    context.onFile(true, rows, read.value, output.bytesWritten);
  }
  const done = await output.finish();
  if (!done.ok) return fail(done.error);
  context.onFile(false, 0, 0, output.bytesWritten);
  return Ok({ output, rowsRead, bytesRead });
}
