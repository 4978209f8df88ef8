/**
 * @module arrow/parquet-io
 * Arrow IPC streams -> Parquet bytes and Parquet bytes -> Arrow tables, through parquet-wasm,
 * with library exceptions turned into `Err`.
 */
import { Err, FlushError, Ok, type Result, SchemaError } from "@lakesync/core";
import { type Schema, type Table, tableFromIPC } from "apache-arrow";
import { type ParquetEngine, parquetEngine } from "../engine/engine.js";
import { type ColumnHints, type ParquetWriteOptions, writerProperties } from "../write-options.js";
import { IpcWriter } from "./ipc-writer.js";

/**
 * Encodes a stream of `schema` with `fill` (which writes its record batches) and writes it as
 * Parquet bytes. `fill` may return an error, which is passed on; an exception thrown while
 * encoding or writing becomes `Err(FlushError)`.
 */
export function writeParquetStream<E>(
  schema: Schema,
  capacity: number,
  fill: (writer: IpcWriter) => Result<void, E>,
  options: ParquetWriteOptions = {},
  hints: ColumnHints = {},
): Result<Uint8Array, E | FlushError> {
  const engine = parquetEngine();
  if (!engine.ok) return engine;
  let writer: IpcWriter | undefined;
  let table: ReturnType<ParquetEngine["Table"]["fromIPCStream"]>;
  try {
    writer = new IpcWriter(schema, capacity);
    const filled = fill(writer);
    if (!filled.ok) return filled;
    // parquet-wasm copies the stream into WebAssembly memory: the buffer is free after this.
    table = engine.value.Table.fromIPCStream(writer.finish());
  } catch (cause) {
    return Err(new FlushError("cannot encode the Arrow stream", { cause }));
  } finally {
    writer?.release();
  }
  try {
    return Ok(engine.value.writeParquet(table, writerProperties(engine.value, options, hints)));
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
