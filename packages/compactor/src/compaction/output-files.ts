/**
 * @module compaction/output-files
 * The files a compaction writes for one partition. Rows arrive one by one; a file is written
 * when its estimated Parquet size reaches the target, or when the rows waiting cost as much
 * memory as the budget allows, so memory is bounded whatever the partition's size. Rows are
 * sorted by `row_id` inside each file (tight bounds, so engines skip files). Files are named
 * `{table}/data/{partition path}/{uuid}-compacted.parquet` unless told otherwise.
 */
import {
  type DataFile,
  type IcebergSchema,
  type LakeLocation,
  type PartitionSpec,
  type PartitionValue,
  parquetColumnName,
  ROW_ID_COLUMN,
  tableDirectory,
  writeDataFile,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { CompactionLimits } from "./compaction-options.js";

/** Where and how one partition's output files are written. */
export interface OutputFilesOptions {
  readonly location: LakeLocation;
  /** The table's location (files go under `{tableLocation}/data/…`). */
  readonly tableLocation: string;
  /** The table's current schema. */
  readonly schema: IcebergSchema;
  readonly spec: PartitionSpec;
  readonly partition: Readonly<Record<string, PartitionValue>>;
  readonly limits: CompactionLimits;
  /** Estimated Parquet bytes per row, until a written file tells the real figure. */
  readonly bytesPerRow: number;
  readonly uuid: () => string;
  readonly compression: "snappy" | "zstd" | "none";
  /** The end of the files' names (default `-compacted.parquet`). */
  readonly suffix?: string;
}

/** The Parquet-file schema: field names spelt as the layout's Parquet columns are. */
export function parquetSchemaOf(schema: IcebergSchema): IcebergSchema {
  return {
    ...schema,
    fields: schema.fields.map((f) => ({ ...f, name: parquetColumnName(f.name) })),
  };
}

/** Accumulates one partition's rows and writes them as data files (see the module comment). */
export class OutputFiles {
  readonly #options: OutputFilesOptions;
  readonly #fileSchema: IcebergSchema;
  readonly #dir: string;
  readonly #rowIdName = parquetColumnName(ROW_ID_COLUMN);
  #rows: Record<string, unknown>[] = [];
  #cost = 0;
  #bytesPerRow: number;
  /** The files written so far, with their URIs. */
  readonly files: DataFile[] = [];
  bytesWritten = 0;
  rowsWritten = 0;

  constructor(options: OutputFilesOptions) {
    this.#options = options;
    this.#fileSchema = parquetSchemaOf(options.schema);
    this.#bytesPerRow = Math.max(1, options.bytesPerRow);
    const path = options.spec.fields.map(
      (f) =>
        `${tableDirectory(f.name)}=${tableDirectory(String(options.partition[f.name] ?? null))}`,
    );
    this.#dir = [options.tableLocation, "data", ...path].join("/");
  }

  /** Adds one row (keyed by Parquet column names) costing `cost` bytes of memory. */
  async add(row: Record<string, unknown>, cost: number): Promise<Result<void, LakeSyncError>> {
    this.#rows.push(row);
    this.#cost += cost;
    const { limits } = this.#options;
    if (
      this.#cost >= limits.outputCostLimit ||
      this.#rows.length * this.#bytesPerRow >= limits.effectiveTargetBytes
    )
      return this.#write();
    return Ok(undefined);
  }

  /** Writes the rows still waiting, if any. */
  finish(): Promise<Result<void, LakeSyncError>> {
    return this.#write();
  }

  /** Deletes every file written (after a failure, or a commit that did not happen). */
  async discard(): Promise<void> {
    await Promise.all(this.files.map((f) => this.#options.location.delete(f.filePath)));
  }

  async #write(): Promise<Result<void, LakeSyncError>> {
    const rows = this.#rows;
    if (rows.length === 0) return Ok(undefined);
    this.#rows = [];
    this.#cost = 0;
    const id = this.#rowIdName;
    rows.sort((a, b) => {
      const x = String(a[id]);
      const y = String(b[id]);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const options = this.#options;
    const filePath = `${this.#dir}/${options.uuid()}${options.suffix ?? "-compacted.parquet"}`;
    const written = writeDataFile({
      schema: this.#fileSchema,
      spec: options.spec,
      rows,
      filePath,
      partition: options.partition,
      parquet: { compression: options.compression },
    });
    if (!written.ok) return written;
    const stored = await options.location.write(filePath, written.value.bytes);
    if (!stored.ok) return stored;
    const size = written.value.bytes.length;
    this.files.push(written.value.dataFile);
    this.bytesWritten += size;
    this.rowsWritten += rows.length;
    // A file of few rows is mostly footer: it would make the estimate far too high.
    if (rows.length >= 1000) this.#bytesPerRow = Math.max(1, size / rows.length);
    return Ok(undefined);
  }
}
