/**
 * @module engine/engine
 * The parquet-wasm module in use. WebAssembly is initialised once, explicitly, per runtime:
 * `@lakesync/parquet/node` does it synchronously on import; browsers and Workers call
 * `initParquet()` with the wasm bytes, module or URL first.
 */
import { Err, FlushError, Ok, type Result } from "@lakesync/core";
import type * as ParquetWasm from "parquet-wasm/esm";

/** The parts of parquet-wasm LakeSync uses; the node, esm and bundler builds all provide them. */
export type ParquetEngine = Pick<
  typeof ParquetWasm,
  | "writeParquet"
  | "readParquet"
  | "Table"
  | "WriterPropertiesBuilder"
  | "Compression"
  | "EnabledStatistics"
  | "Encoding"
  | "transformParquetStream"
>;

let engine: ParquetEngine | undefined;

/** Registers an initialised parquet-wasm module (its node build, or an esm build after `init`). */
export function registerParquetEngine(module: ParquetEngine): void {
  engine = module;
}

/** The registered engine, or an `Err(FlushError)` explaining how to initialise one. */
export function parquetEngine(): Result<ParquetEngine, FlushError> {
  if (engine) return Ok(engine);
  return Err(
    new FlushError(
      'Parquet is not initialised: import "@lakesync/parquet/node" in Node, or await initParquet(wasm) in browsers and Workers',
    ),
  );
}

/**
 * Initialises the web build of parquet-wasm (browsers, Cloudflare Workers) and registers it.
 * `wasm` is what wasm-bindgen's `init` accepts: a `WebAssembly.Module` (Workers import the
 * `.wasm` file as one), bytes, a `Response` or a URL. Returns `Err(FlushError)` when it fails.
 */
export async function initParquet(wasm: ParquetWasm.InitInput): Promise<Result<void, FlushError>> {
  try {
    const module = await import("parquet-wasm/esm");
    await module.default({ module_or_path: wasm });
    registerParquetEngine(module);
    return Ok(undefined);
  } catch (cause) {
    return Err(new FlushError("cannot initialise parquet-wasm", { cause }));
  }
}
