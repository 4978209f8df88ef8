/**
 * @module flush/targets/lake-file-target
 * Flushing deltas as files in a lake: Parquet typed by the table's schema, or the versioned JSON
 * envelope.
 */
import { Err, FlushError, Ok, type Result } from "@lakesync/core";
import { writeDeltasToParquet } from "@lakesync/parquet";
import { flushPath } from "../flush-path.js";
import type { FlushBatch, FlushTarget, FlushWritten, LakeWriter } from "../flush-target.js";
import { encodeEnvelope } from "../json-envelope.js";

/** The file format of lake flushes. */
export type FlushFormat = "parquet" | "json";

/** Options of {@link lakeFileTarget}. */
export interface LakeFileOptions {
  /** Defaults to `parquet`. */
  readonly format?: FlushFormat;
  /** Parquet compression; defaults to `snappy`. */
  readonly compression?: "snappy" | "zstd" | "none";
  /** For logs; defaults to `lake`. */
  readonly description?: string;
}

/**
 * Writes each batch as one file at `deltas/{date}/{gateway}/{minSeq}-{maxSeq}.{format}`: Parquet
 * typed by the table's schema, or a version-1 JSON envelope. Rewriting the same batch writes
 * the same key, so a retry is harmless.
 */
export function lakeFileTarget(adapter: LakeWriter, options: LakeFileOptions = {}): FlushTarget {
  const format = options.format ?? "parquet";
  return {
    description: options.description ?? `lake (${format} files)`,
    write: (batch) => writeFile(adapter, batch, format, options.compression ?? "snappy"),
  };
}

async function writeFile(
  adapter: LakeWriter,
  batch: FlushBatch,
  format: FlushFormat,
  compression: "snappy" | "zstd" | "none",
): Promise<Result<FlushWritten, FlushError>> {
  let bytes: Uint8Array;
  if (format === "json") {
    bytes = encodeEnvelope(batch.gatewayId, batch.entries, batch.range, batch.at);
  } else {
    const written = writeDeltasToParquet(
      batch.entries.map((e) => e.delta),
      batch.schema,
      { compression },
    );
    if (!written.ok)
      return Err(
        new FlushError(`could not encode Parquet: ${written.error.message}`, {
          cause: written.error,
        }),
      );
    bytes = written.value;
  }
  const path = flushPath(batch.gatewayId, batch.range.min, batch.range.max, format, batch.at);
  const put = await adapter.putObject(
    path,
    bytes,
    format === "json" ? "application/json" : "application/vnd.apache.parquet",
  );
  if (!put.ok)
    return Err(
      new FlushError(`could not write ${path}: ${put.error.message}`, { cause: put.error }),
    );
  return Ok({ paths: [path], tables: [], bytes: bytes.byteLength });
}
