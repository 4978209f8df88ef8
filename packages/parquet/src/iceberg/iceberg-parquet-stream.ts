/**
 * @module iceberg/iceberg-parquet-stream
 * A Parquet file written as it goes: each {@link IcebergParquetStream.writeRowGroup} call encodes
 * its rows and parquet-wasm's streaming writer (`transformParquetStream`, arrow-rs's
 * `AsyncArrowWriter`) emits every row group as soon as it is complete; the bytes go straight to
 * a sink (a multipart upload, a temporary file), and {@link IcebergParquetStream.finish} writes
 * the footer. Memory holds the rows of one call and one row group being encoded, whatever the
 * file's size. Row groups hold at most `rowGroupSize` rows (default 65536), as in the other
 * writers; a call's rows may share a row group with the next call's.
 */
import { Err, FlushError, type LakeSyncError, Ok, type Result, SchemaError } from "@lakesync/core";
import { IpcWriter } from "../arrow/ipc-writer.js";
import { type ParquetEngine, parquetEngine } from "../engine/engine.js";
import { type ParquetWriteOptions, writerProperties } from "../write-options.js";
import {
  columnsProblem,
  fillIcebergBatch,
  icebergArrowSchema,
  ipcCapacity,
  writeIcebergParquet,
} from "./field-id-columns.js";
import type { IcebergColumn } from "./iceberg-types.js";

/** A column of a streamed file: an {@link IcebergColumn} without its values. */
export type IcebergColumnSpec = Omit<IcebergColumn, "values">;

/** Receives a streamed file's bytes, in order; an `Err` stops the stream. */
export type ParquetSink = (bytes: Uint8Array) => Promise<Result<void, LakeSyncError>>;

/** A finished streamed file. */
export interface StreamedParquet {
  /** Bytes handed to the sink: the file's size. */
  readonly bytesWritten: number;
  readonly rowCount: number;
  /** The file's last bytes, from its Thrift footer to the closing `PAR1` (footer length included). */
  readonly footer: Uint8Array;
}

const MAGIC = [0x50, 0x41, 0x52, 0x31];

/** The footer at the end of `tail` (metadata, its length and the magic), or undefined. */
function footerOf(tail: Uint8Array): Uint8Array | undefined {
  const n = tail.length;
  if (n < 12 || MAGIC.some((b, i) => tail[n - 4 + i] !== b)) return undefined;
  const length = new DataView(tail.buffer, tail.byteOffset + n - 8, 4).getUint32(0, true);
  return length + 8 > n ? undefined : tail.slice(n - 8 - length);
}

const sameSpec = (a: IcebergColumnSpec, b: IcebergColumnSpec) =>
  a.name === b.name && a.fieldId === b.fieldId && a.type === b.type && a.required === b.required;

/** One Parquet file written row group by row group (see the module comment). */
export class IcebergParquetStream {
  readonly #engine: ParquetEngine;
  readonly #specs: readonly IcebergColumnSpec[];
  readonly #sink: ParquetSink;
  readonly #options: ParquetWriteOptions;
  readonly #queue: unknown[] = [];
  #started = false;
  #closed = false;
  #wake: (() => void) | undefined;
  #drained: (() => void) | undefined;
  #failure: LakeSyncError | undefined;
  #onFailure: (() => void) | undefined;
  readonly #failed: Promise<void>;
  #pump: Promise<void> = Promise.resolve();
  #tail: Uint8Array[] = [];
  #bytes = 0;
  #rows = 0;

  private constructor(
    engine: ParquetEngine,
    specs: readonly IcebergColumnSpec[],
    sink: ParquetSink,
    options: ParquetWriteOptions,
  ) {
    this.#engine = engine;
    this.#specs = specs;
    this.#sink = sink;
    this.#options = options;
    this.#failed = new Promise((resolve) => {
      this.#onFailure = resolve;
    });
  }

  /**
   * Opens a file of `columns` whose bytes go to `sink`. `Err(SchemaError)` when two columns
   * share a name or field id; `Err(FlushError)` when Parquet is not initialised.
   */
  static open(
    columns: readonly IcebergColumnSpec[],
    sink: ParquetSink,
    options: ParquetWriteOptions = {},
  ): Result<IcebergParquetStream, SchemaError | FlushError> {
    const engine = parquetEngine();
    if (!engine.ok) return engine;
    const problem = columnsProblem(
      columns.map((c) => ({ ...c, values: [] })),
      0,
    );
    if (problem) return Err(problem);
    if (columns.length === 0) return Err(new SchemaError("a Parquet file needs a column"));
    return Ok(new IcebergParquetStream(engine.value, [...columns], sink, options));
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.#bytes;
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.#rows;
  }

  /**
   * Encodes `columns` (the file's columns, in order, each with `rowCount` values) and writes
   * them; resolves once the writer has taken them, the complete row groups handed to the sink.
   * `Err(SchemaError)` for columns that are not the file's or values that do not fit (nothing is
   * written then); `Err` of the sink or `FlushError` when writing failed (the stream is dead).
   */
  async writeRowGroup(
    columns: readonly IcebergColumn[],
    rowCount: number,
  ): Promise<Result<void, LakeSyncError>> {
    if (this.#failure) return Err(this.#failure);
    if (this.#closed) return Err(new FlushError("the Parquet stream is finished"));
    if (
      columns.length !== this.#specs.length ||
      columns.some((c, i) => !sameSpec(c, this.#specs[i] as IcebergColumnSpec))
    )
      return Err(new SchemaError("the row group's columns are not the file's"));
    const problem = columnsProblem(columns, rowCount);
    if (problem) return Err(problem);
    if (rowCount === 0) return Ok(undefined);
    const encoded = this.#encode(columns, rowCount);
    if (!encoded.ok) return encoded;
    this.#queue.push(...encoded.value);
    this.#rows += rowCount;
    const drained = new Promise<void>((resolve) => {
      this.#drained = resolve;
    });
    this.#poke();
    if (!this.#started) this.#start();
    await Promise.race([drained, this.#failed]);
    return this.#failure ? Err(this.#failure) : Ok(undefined);
  }

  /**
   * Writes the footer and waits until the sink has every byte. A file without rows is written
   * whole. `Err` when writing failed at any point.
   */
  async finish(): Promise<Result<StreamedParquet, LakeSyncError>> {
    if (this.#failure) return Err(this.#failure);
    if (this.#closed) return Err(new FlushError("the Parquet stream is finished"));
    if (!this.#started) {
      this.#closed = true;
      const empty = writeIcebergParquet(
        this.#specs.map((c) => ({ ...c, values: [] })),
        0,
        this.#options,
      );
      if (!empty.ok) return empty;
      const sent = await this.#sink(empty.value);
      if (!sent.ok) return sent;
      this.#bytes = empty.value.length;
      this.#tail = [empty.value];
    } else {
      this.#closed = true;
      this.#poke();
      await this.#pump;
    }
    if (this.#failure) return Err(this.#failure);
    const footer = footerOf(concat(this.#tail));
    if (!footer) return Err(new FlushError("the Parquet writer ended without a footer"));
    return Ok({ bytesWritten: this.#bytes, rowCount: this.#rows, footer });
  }

  /** Stops the stream: nothing more reaches the sink (what it received is the caller's to drop). */
  async abort(): Promise<void> {
    this.#fail(new FlushError("the Parquet stream was aborted"));
    await this.#pump;
  }

  #encode(columns: readonly IcebergColumn[], rowCount: number): Result<unknown[], FlushError> {
    let writer: IpcWriter | undefined;
    try {
      writer = new IpcWriter(icebergArrowSchema(columns), ipcCapacity(columns.length, rowCount));
      fillIcebergBatch(columns, rowCount)(writer);
      // parquet-wasm copies the stream into WebAssembly memory: the buffer is free after this.
      const table = this.#engine.Table.fromIPCStream(writer.finish());
      try {
        return Ok(table.recordBatches());
      } finally {
        table.free();
      }
    } catch (cause) {
      return Err(new FlushError("cannot encode the Arrow stream", { cause }));
    } finally {
      writer?.release();
    }
  }

  /** Wakes the input stream's pull, waiting for a batch or the end. */
  #poke(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #fail(error: LakeSyncError): void {
    if (!this.#failure) this.#failure = error;
    this.#closed = true;
    this.#queue.length = 0;
    this.#onFailure?.();
    this.#poke();
  }

  #start(): void {
    this.#started = true;
    const input = new ReadableStream<unknown>(
      {
        pull: async (controller) => {
          for (;;) {
            const next = this.#queue.shift();
            if (next !== undefined) return controller.enqueue(next);
            if (this.#closed) return controller.close();
            // Asked for more with nothing queued: the last call's rows are taken.
            const drained = this.#drained;
            this.#drained = undefined;
            drained?.();
            await new Promise<void>((resolve) => {
              this.#wake = resolve;
            });
          }
        },
      },
      { highWaterMark: 0 },
    );
    let output: Promise<ReadableStream>;
    try {
      output = this.#engine.transformParquetStream(
        input,
        writerProperties(this.#engine, this.#options),
      );
    } catch (cause) {
      this.#fail(new FlushError("cannot start the Parquet writer", { cause }));
      return;
    }
    this.#pump = output.then(
      (stream) => this.#drain(stream as ReadableStream<Uint8Array>),
      (cause) => this.#fail(new FlushError("cannot start the Parquet writer", { cause })),
    );
  }

  /** Hands the writer's bytes to the sink, one chunk at a time (back-pressure included). */
  async #drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (this.#failure) break;
        this.#tail = [this.#tail[this.#tail.length - 1] ?? new Uint8Array(0), value];
        const sent = await this.#sink(value);
        if (!sent.ok) {
          this.#fail(sent.error);
          break;
        }
        this.#bytes += value.length;
      }
    } catch (cause) {
      this.#fail(new FlushError("cannot write Parquet", { cause }));
    }
    if (this.#failure) await reader.cancel().catch(() => undefined);
    else if (!this.#closed)
      this.#fail(new FlushError("the Parquet writer stopped before the file was finished"));
    // Whatever happened, the input must end so that the writer stops waiting for it.
    this.#closed = true;
    this.#poke();
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
