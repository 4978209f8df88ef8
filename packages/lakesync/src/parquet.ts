/**
 * @module lakesync/parquet
 * `@lakesync/parquet` re-exported: deltas and rows to Parquet and back. Browsers and Workers call
 * `initParquet(wasm)` first; Node imports `lakesync/parquet/node` instead.
 */
export * from "@lakesync/parquet";
