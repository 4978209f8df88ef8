/**
 * @module write-options
 * Options shared by the Parquet writers, and their translation into parquet-wasm properties.
 */
import type { ParquetEngine } from "./engine/engine.js";

/** How Parquet files are written. */
export interface ParquetWriteOptions {
  /**
   * Page compression. Defaults to `snappy`, which every Parquet reader decodes without plugins
   * (hyparquet needs an extra codec for zstd); `zstd` gives smaller files.
   */
  readonly compression?: "zstd" | "snappy" | "none";
  /** Rows per row group. Defaults to 65536. Smaller groups let engines skip more. */
  readonly rowGroupSize?: number;
}

/** Per-column encodings a writer chooses for columns whose shape it knows. */
export interface ColumnHints {
  /** Columns of mostly distinct values (ids, JSON): a dictionary there only costs time. */
  readonly distinct?: readonly string[];
  /** 64-bit integer columns that mostly rise (HLCs): delta encoding packs them tightly. */
  readonly rising?: readonly string[];
}

/**
 * Builds parquet-wasm writer properties: compression, row-group size, page-level statistics
 * (min/max per row group and per page, so engines can prune), and the column hints.
 */
export function writerProperties(
  engine: ParquetEngine,
  options: ParquetWriteOptions = {},
  hints: ColumnHints = {},
) {
  const compression =
    options.compression === "zstd"
      ? engine.Compression.ZSTD
      : options.compression === "none"
        ? engine.Compression.UNCOMPRESSED
        : engine.Compression.SNAPPY;
  let builder = new engine.WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(Math.max(1, Math.floor(options.rowGroupSize ?? 65_536)))
    .setStatisticsEnabled(engine.EnabledStatistics.Page);
  for (const column of [...(hints.distinct ?? []), ...(hints.rising ?? [])])
    builder = builder.setColumnDictionaryEnabled(column, false);
  for (const column of hints.rising ?? [])
    builder = builder.setColumnEncoding(column, engine.Encoding.DELTA_BINARY_PACKED);
  return builder.build();
}
