/**
 * @module compaction/output-files
 * The files a compaction writes for one partition. Rows arrive one by one and wait in memory
 * until they cost as much as the budget allows (`outputCostLimit`) or would fill the open file;
 * then they are sorted by `row_id` (tight bounds per row group, so engines skip them) and
 * written as the next row group of the open file, which streams to the lake as it grows
 * (`DataFileStream` into a multipart upload or a temporary file). A file is closed once it
 * reaches the target size and the next one opened, so files reach the target (128 MiB by
 * default) whatever the budget. Files are named
 * `{table}/data/{partition path}/{uuid}-compacted.parquet` unless told otherwise.
 */
import {
  type DataFile,
  DataFileStream,
  type IcebergSchema,
  type LakeLocation,
  type LakeUpload,
  type PartitionSpec,
  type PartitionValue,
  parquetColumnName,
  ROW_ID_COLUMN,
  tableDirectory,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { CompactionLimits } from "./compaction-options.js";

/** Share of the input budget an output row group may fill (the size per row is an estimate). */
const GROUP_MARGIN = 0.75;

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
  /** Estimated Parquet bytes per row, until written row groups tell the real figure. */
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

/** The file being written: its stream, its upload and its row-group size. */
interface OpenFile {
  readonly path: string;
  readonly stream: DataFileStream;
  readonly upload: LakeUpload;
  /** Rows per row group: the size of the first group, so that every full group is flushed. */
  readonly groupRows: number;
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
  #open: OpenFile | undefined;
  /** The files written so far, with their URIs. */
  readonly files: DataFile[] = [];
  /** The number of row groups of each of {@link files}. */
  readonly rowGroups: number[] = [];
  /** Rows of the files closed so far. */
  rowsWritten = 0;
  #closedBytes = 0;

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

  /** Bytes written so far: the files closed, and what the open one has streamed. */
  get bytesWritten(): number {
    return this.#closedBytes + (this.#open?.stream.bytesWritten ?? 0);
  }

  /** Adds one row (keyed by Parquet column names) costing `cost` bytes of memory. */
  async add(row: Record<string, unknown>, cost: number): Promise<Result<void, LakeSyncError>> {
    this.#rows.push(row);
    this.#cost += cost;
    const open = this.#open;
    const { limits } = this.#options;
    const bytes = this.#rows.length * this.#bytesPerRow;
    const full =
      this.#cost >= limits.outputCostLimit ||
      (open !== undefined && this.#rows.length >= open.groupRows) ||
      bytes >= this.#room() ||
      // A row group a later compaction reads back must fit its input budget (with a margin).
      bytes >= limits.inputFileLimitBytes * GROUP_MARGIN;
    return full ? this.#writeGroup() : Ok(undefined);
  }

  /** Writes the rows still waiting, if any, and closes the open file. */
  async finish(): Promise<Result<void, LakeSyncError>> {
    const written = await this.#writeGroup();
    if (!written.ok) return written;
    return this.#close();
  }

  /** Deletes every file written and drops the open one (after a failure, or no commit). */
  async discard(): Promise<void> {
    const open = this.#open;
    this.#open = undefined;
    this.#rows = [];
    if (open) {
      await open.stream.abort();
      await open.upload.abort();
    }
    await Promise.all(this.files.map((f) => this.#options.location.delete(f.filePath)));
  }

  /** Estimated bytes of the open file, the row group still being encoded included. */
  #openBytes(): number {
    const open = this.#open;
    if (!open) return 0;
    const encoding = open.stream.rowCount % open.groupRows;
    return open.stream.bytesWritten + encoding * this.#bytesPerRow;
  }

  /** Bytes the open (or next) file may still take before it reaches the target. */
  #room(): number {
    return Math.max(1, this.#options.limits.targetFileBytes - this.#openBytes());
  }

  async #writeGroup(): Promise<Result<void, LakeSyncError>> {
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
    let open = this.#open;
    if (!open) {
      const opened = await this.#openFile(rows.length);
      if (!opened.ok) return opened;
      open = opened.value;
    }
    const written = await open.stream.writeRows(rows);
    if (!written.ok) return written;
    const flushed = open.stream.rowCount - (open.stream.rowCount % open.groupRows);
    // Estimates from a few rows are mostly footer and page headers: wait for a real sample.
    if (flushed >= 1000) this.#bytesPerRow = Math.max(1, open.stream.bytesWritten / flushed);
    return this.#openBytes() >= this.#options.limits.targetFileBytes
      ? this.#close()
      : Ok(undefined);
  }

  async #openFile(groupRows: number): Promise<Result<OpenFile, LakeSyncError>> {
    const options = this.#options;
    const path = `${this.#dir}/${options.uuid()}${options.suffix ?? "-compacted.parquet"}`;
    const upload = await options.location.upload(path);
    if (!upload.ok) return upload;
    const stream = DataFileStream.open({
      schema: this.#fileSchema,
      filePath: path,
      partition: options.partition,
      parquet: { compression: options.compression, rowGroupSize: groupRows },
      sink: (bytes) => upload.value.write(bytes),
    });
    if (!stream.ok) {
      await upload.value.abort();
      return stream;
    }
    this.#open = { path, stream: stream.value, upload: upload.value, groupRows };
    return Ok(this.#open);
  }

  async #close(): Promise<Result<void, LakeSyncError>> {
    const open = this.#open;
    if (!open) return Ok(undefined);
    const done = await open.stream.finish();
    if (!done.ok) return done;
    const stored = await open.upload.complete();
    if (!stored.ok) return stored;
    this.#open = undefined;
    const { dataFile, rowGroups } = done.value;
    this.files.push(dataFile);
    this.rowGroups.push(rowGroups);
    this.#closedBytes += dataFile.fileSizeInBytes;
    this.rowsWritten += dataFile.recordCount;
    if (dataFile.recordCount >= 1000)
      this.#bytesPerRow = Math.max(1, dataFile.fileSizeInBytes / dataFile.recordCount);
    return Ok(undefined);
  }
}
