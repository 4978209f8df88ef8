/**
 * @module @lakesync/parquet/node
 * Node entry point: loads parquet-wasm's Node build synchronously and registers it, then
 * re-exports everything from `@lakesync/parquet`.
 *
 * @example
 * import { writeDeltasToParquet } from "@lakesync/parquet/node";
 */
import * as parquetWasm from "parquet-wasm/node";
import { registerParquetEngine } from "./engine/engine.js";

registerParquetEngine(parquetWasm);

export * from "./index.js";
