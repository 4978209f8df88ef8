/**
 * @module iceberg/data-file-stream
 * A data file written row group by row group: rows go through `@lakesync/parquet`'s
 * {@link IcebergParquetStream} to a sink (a {@link LakeUpload}) as they come, so a file may be
 * far larger than memory; the {@link DataFile} description is the one `writeDataFile` gives for
 * the same rows (the metrics accumulate per group in `column-metrics`).
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  type IcebergColumn,
  type IcebergColumnType,
  IcebergParquetStream,
  type ParquetSink,
  type ParquetWriteOptions,
} from "@lakesync/parquet";
import { parquetMetadata } from "hyparquet";
import { CatalogueError } from "../errors.js";
import { ColumnMetrics } from "./column-metrics.js";
import { type DataFile, FileContent, type PartitionValue } from "./content-file.js";
import { columnsOf } from "./data-file-writer.js";
import type { IcebergField, IcebergSchema } from "./types.js";

/** What {@link DataFileStream.open} writes. */
export interface DataFileStreamOptions {
  readonly schema: IcebergSchema;
  /** The URI the file is stored at (it goes into the manifest). */
  readonly filePath: string;
  /** The file's partition tuple (every row must belong to it). */
  readonly partition: Readonly<Record<string, PartitionValue>>;
  readonly sortOrderId?: number;
  readonly parquet?: ParquetWriteOptions;
  /** Receives the file's bytes in order. */
  readonly sink: ParquetSink;
}

/** A finished streamed file: its manifest description and how many row groups it has. */
export interface StreamedDataFile {
  readonly dataFile: DataFile;
  readonly rowGroups: number;
}

/** One data file written as it goes (see the module comment). */
export class DataFileStream {
  readonly #options: DataFileStreamOptions;
  readonly #fields: readonly IcebergField[];
  readonly #parquet: IcebergParquetStream;
  readonly #metrics: ColumnMetrics;

  private constructor(
    options: DataFileStreamOptions,
    fields: readonly IcebergField[],
    parquet: IcebergParquetStream,
  ) {
    this.#options = options;
    this.#fields = fields;
    this.#parquet = parquet;
    this.#metrics = new ColumnMetrics(
      fields.map((f) => ({ fieldId: f.id, type: f.type as string })),
    );
  }

  /**
   * Opens a data file of `options.schema`'s columns. `Err(CatalogueError)` (`INVALID_INPUT`) for
   * column types data files cannot hold yet; `FlushError` when Parquet is not initialised.
   */
  static open(options: DataFileStreamOptions): Result<DataFileStream, LakeSyncError> {
    const fields = columnsOf({ schema: options.schema });
    if (!fields.ok) return fields;
    const parquet = IcebergParquetStream.open(
      fields.value.map((f) => ({
        name: f.name,
        fieldId: f.id,
        type: f.type as IcebergColumnType,
        required: f.required,
      })),
      options.sink,
      options.parquet,
    );
    if (!parquet.ok) return parquet;
    return Ok(new DataFileStream(options, fields.value, parquet.value));
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.#parquet.bytesWritten;
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.#parquet.rowCount;
  }

  /**
   * Writes `rows` (column name → value, as for `writeDataFile`) as the file's next rows.
   * `Err(SchemaError)` for a value that does not fit its column (nothing written then); the
   * sink's error or `FlushError` when writing failed (the file is then lost: abort it).
   */
  async writeRows(
    rows: readonly Readonly<Record<string, unknown>>[],
  ): Promise<Result<void, LakeSyncError>> {
    const columns: IcebergColumn[] = this.#fields.map((field) => ({
      name: field.name,
      fieldId: field.id,
      type: field.type as IcebergColumnType,
      required: field.required,
      values: rows.map((row) =>
        Object.hasOwn(row, field.name) ? (row[field.name] ?? null) : null,
      ),
    }));
    const written = await this.#parquet.writeRowGroup(columns, rows.length);
    if (!written.ok) return written;
    this.#metrics.add(columns, rows.length);
    return Ok(undefined);
  }

  /**
   * Writes the footer and describes the file. `Err` when writing failed, or when the footer
   * does not hold every row written (`CatalogueError` `INVALID_INPUT`).
   */
  async finish(): Promise<Result<StreamedDataFile, LakeSyncError>> {
    const done = await this.#parquet.finish();
    if (!done.ok) return done;
    const { footer, rowCount, bytesWritten } = done.value;
    let rowGroups: number;
    try {
      const meta = parquetMetadata(footer.slice().buffer);
      if (Number(meta.num_rows) !== rowCount)
        return Err(
          new CatalogueError(
            "INVALID_INPUT",
            `the Parquet writer recorded ${String(meta.num_rows)} rows of the ${rowCount} written`,
          ),
        );
      rowGroups = meta.row_groups.length;
    } catch (cause) {
      return Err(
        new CatalogueError("INVALID_INPUT", "the written footer is unreadable", { cause }),
      );
    }
    const options = this.#options;
    return Ok({
      rowGroups,
      dataFile: {
        content: FileContent.DATA,
        filePath: options.filePath,
        fileFormat: "PARQUET",
        partition: { ...options.partition },
        recordCount: rowCount,
        fileSizeInBytes: bytesWritten,
        ...this.#metrics.metrics(),
        ...(options.sortOrderId === undefined ? {} : { sortOrderId: options.sortOrderId }),
      },
    });
  }

  /** Stops writing: nothing more reaches the sink (the caller drops what it received). */
  abort(): Promise<void> {
    return this.#parquet.abort();
  }
}
