/**
 * @module arrow/parquet-io
 * Arrow table <-> Parquet bytes through parquet-wasm, with library exceptions turned into `Err`.
 */
import { Err, FlushError, Ok, type Result, SchemaError } from "@lakesync/core";
import { type Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { parquetEngine } from "../engine/engine.js";
import { type ColumnHints, type ParquetWriteOptions, writerProperties } from "../write-options.js";

/** Writes an Arrow table as Parquet bytes. */
export function arrowToParquet(
  table: Table,
  options: ParquetWriteOptions = {},
  hints: ColumnHints = {},
): Result<Uint8Array, FlushError> {
  const engine = parquetEngine();
  if (!engine.ok) return engine;
  try {
    const wasmTable = engine.value.Table.fromIPCStream(tableToIPC(table, "stream"));
    return Ok(engine.value.writeParquet(wasmTable, writerProperties(engine.value, options, hints)));
  } catch (cause) {
    return Err(new FlushError("cannot write Parquet", { cause }));
  }
}

/** Reads Parquet bytes into an Arrow table; `Err(SchemaError)` for bytes that are not Parquet. */
export function parquetToArrow(bytes: Uint8Array): Result<Table, SchemaError | FlushError> {
  const engine = parquetEngine();
  if (!engine.ok) return engine;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < 12) {
    return Err(new SchemaError("not a Parquet file: too short to hold the PAR1 header and footer"));
  }
  try {
    return Ok(tableFromIPC(engine.value.readParquet(bytes).intoIPCStream()));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return Err(new SchemaError(`not a readable Parquet file (${detail.slice(0, 200)})`, { cause }));
  }
}
