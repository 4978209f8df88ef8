/**
 * @module @lakesync/parquet
 * Deltas and materialised rows to Parquet and back, with parquet-wasm and Apache Arrow, in
 * Node, browsers and Cloudflare Workers. Initialise once per runtime: import
 * `@lakesync/parquet/node` in Node; elsewhere `await initParquet(wasm)` first.
 *
 * @example
 * import { readParquetToDeltas, writeDeltasToParquet } from "@lakesync/parquet/node";
 * const bytes = writeDeltasToParquet(deltas, todosSchema);
 */
export * from "./deltas/read-deltas.js";
export * from "./deltas/write-deltas.js";
export { initParquet, type ParquetEngine, registerParquetEngine } from "./engine/engine.js";
export { writeIcebergParquet } from "./iceberg/field-id-columns.js";
export {
  type IcebergColumnSpec,
  IcebergParquetStream,
  type ParquetSink,
  type StreamedParquet,
} from "./iceberg/iceberg-parquet-stream.js";
export {
  type IcebergColumn,
  type IcebergColumnType,
  icebergArrowType,
} from "./iceberg/iceberg-types.js";
export * from "./rows/rows.js";
export {
  arrowTypeOf,
  DELTA_COLUMNS,
  deltaArrowSchema,
  rowsArrowSchema,
} from "./schema/arrow-schema.js";
export type { ParquetWriteOptions } from "./write-options.js";
