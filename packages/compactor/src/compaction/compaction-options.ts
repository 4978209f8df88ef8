/**
 * @module compaction/compaction-options
 * The knobs of a compaction and the memory model that turns a memory budget into limits: how
 * many rows may wait for the next row group of an output file, how big an input row group may
 * be, and how many delete keys may be held. Output files stream to the lake row group by row
 * group, so the budget bounds the row groups, never the file size: files reach the target.
 */

import type { RetryOptions } from "@lakesync/catalogue";
import { Err, Ok, type Result } from "@lakesync/core";
import { CompactorError } from "../errors.js";
import type { ProgressListener } from "../progress.js";

/** The default target size of a compacted file: 128 MiB. */
export const DEFAULT_TARGET_FILE_BYTES = 128 * 1024 * 1024;
/** The default memory budget of a compaction: 96 MiB, so it fits a 128 MB Durable Object. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 96 * 1024 * 1024;
/** The smallest memory budget accepted: 4 MiB. */
export const MIN_MEMORY_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * Bytes of memory one byte of a (snappy-compressed) Parquet file costs once its rows are
 * JavaScript values, with the writer's copies (Arrow vectors, the WebAssembly encoder) on top.
 * Measured on the benchmark's todo table (bench/compactor.bench.ts); deliberately pessimistic.
 */
export const PARQUET_EXPANSION = 12;
/** Share of the budget the rows waiting for the next row group of an output file may hold. */
export const OUTPUT_SHARE = 0.25;
/** Share of the budget one input row group, decoded, may hold. */
export const INPUT_SHARE = 0.25;
/** Share of the budget the delete keys of one partition may hold. */
export const DELETES_SHARE = 0.1;

/** Options of a compaction. */
export interface CompactionOptions {
  /** The size compacted files aim at (default 128 MiB, whatever the memory budget). */
  readonly targetFileBytes?: number;
  /** Data files below this size are "small" (default three quarters of the target). */
  readonly smallFileBytes?: number;
  /** The memory the compaction may use (default 96 MiB). */
  readonly memoryBudgetBytes?: number;
  /**
   * A partition without delete files is rewritten only when it holds at least this many small
   * data files (default 2: rewriting one small file alone gains nothing).
   */
  readonly minSmallFiles?: number;
  /** How often a compaction re-plans after concurrent writers changed its files (default 4). */
  readonly maxReplans?: number;
  /** How each commit retries after a conflict (tests turn the back-off off). */
  readonly retry?: RetryOptions;
  /** Parquet compression of compacted files (default snappy). */
  readonly compression?: "snappy" | "zstd" | "none";
  /** Clock for snapshot timestamps (epoch ms). */
  readonly now?: () => number;
  /** Unique file names; defaults to `crypto.randomUUID`. */
  readonly uuid?: () => string;
  /** Progress of every table compacted (files and rows read, bytes read and written). */
  readonly onProgress?: ProgressListener;
}

/** {@link CompactionOptions} with every default applied and the limits derived from the budget. */
export interface CompactionLimits {
  readonly targetFileBytes: number;
  /**
   * The file size compactions reach: `targetFileBytes` (files stream row group by row group, so
   * the budget no longer caps it; kept for callers of the earlier, capped figure).
   */
  readonly effectiveTargetBytes: number;
  readonly smallFileBytes: number;
  readonly memoryBudgetBytes: number;
  readonly minSmallFiles: number;
  readonly maxReplans: number;
  /** Estimated memory of the rows waiting for the next row group of an output file. */
  readonly outputCostLimit: number;
  /** The largest input row group (bytes on storage) that may be read at once. */
  readonly inputFileLimitBytes: number;
  /** Estimated memory the delete keys of one partition may hold. */
  readonly deleteCostLimit: number;
}

const positive = (value: number | undefined, name: string, min: number) =>
  value === undefined || (Number.isSafeInteger(value) && value >= min)
    ? undefined
    : `${name} must be an integer of at least ${min}, got ${String(value)}`;

/**
 * The limits of a compaction run with `options`. `Err(CompactorError)` (`INVALID_OPTIONS`) for
 * a size, budget or count out of range.
 */
export function compactionLimits(
  options: CompactionOptions = {},
): Result<CompactionLimits, CompactorError> {
  const problem =
    positive(options.targetFileBytes, "targetFileBytes", 1024) ??
    positive(options.smallFileBytes, "smallFileBytes", 1) ??
    positive(options.memoryBudgetBytes, "memoryBudgetBytes", MIN_MEMORY_BUDGET_BYTES) ??
    positive(options.minSmallFiles, "minSmallFiles", 1) ??
    positive(options.maxReplans, "maxReplans", 0);
  if (problem) return Err(new CompactorError("INVALID_OPTIONS", problem));
  const targetFileBytes = options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES;
  const memoryBudgetBytes = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  const outputCostLimit = Math.floor(memoryBudgetBytes * OUTPUT_SHARE);
  return Ok({
    targetFileBytes,
    effectiveTargetBytes: targetFileBytes,
    smallFileBytes: options.smallFileBytes ?? Math.floor(targetFileBytes * 0.75),
    memoryBudgetBytes,
    minSmallFiles: options.minSmallFiles ?? 2,
    maxReplans: options.maxReplans ?? 4,
    outputCostLimit,
    inputFileLimitBytes: Math.floor((memoryBudgetBytes * INPUT_SHARE) / PARQUET_EXPANSION),
    deleteCostLimit: Math.floor(memoryBudgetBytes * DELETES_SHARE),
  });
}

/** Estimated memory of one value held in a JavaScript array or object. */
export function valueCost(value: unknown): number {
  if (typeof value === "string") return 24 + 2 * value.length;
  if (typeof value === "bigint") return 24;
  return 8;
}
