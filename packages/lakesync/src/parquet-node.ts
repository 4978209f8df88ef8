/**
 * @module lakesync/parquet/node
 * `@lakesync/parquet/node` re-exported. Importing it initialises the parquet-wasm engine (a side
 * effect, declared in `sideEffects`).
 */
export * from "@lakesync/parquet/node";
