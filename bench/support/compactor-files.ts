/**
 * @module bench/support/compactor-files
 * What a compaction wrote: the data files' sizes and row groups (read from their footers only),
 * summarised for the benchmark's table.
 */
import { type LakeLocation, openParquetFile, type ScanFile } from "@lakesync/catalogue/node";
import { unwrapOrThrow } from "@lakesync/core";

/** Sizes and row groups of a set of data files. */
export interface FilesSummary {
  readonly files: number;
  readonly bytes: { readonly min: number; readonly median: number; readonly max: number };
  readonly rowGroups: { readonly min: number; readonly max: number; readonly total: number };
  /** The largest row group on storage, in bytes. */
  readonly largestGroup: number;
}

/** Reads the footers of `files` and summarises them. */
export async function summariseFiles(
  location: LakeLocation,
  files: readonly ScanFile[],
): Promise<FilesSummary> {
  const sizes = files.map((f) => f.dataFile.fileSizeInBytes).sort((a, b) => a - b);
  const groups: number[] = [];
  let largestGroup = 0;
  for (const file of files) {
    const parts = unwrapOrThrow(await openParquetFile(location, file.dataFile.filePath));
    groups.push(parts.rowGroups.length);
    for (const g of parts.rowGroups) largestGroup = Math.max(largestGroup, g.bytes);
  }
  return {
    files: files.length,
    bytes: {
      min: sizes[0] ?? 0,
      median: sizes[Math.floor(sizes.length / 2)] ?? 0,
      max: sizes[sizes.length - 1] ?? 0,
    },
    rowGroups: {
      min: Math.min(...groups),
      max: Math.max(...groups),
      total: groups.reduce((n, g) => n + g, 0),
    },
    largestGroup,
  };
}

/** `summary` in words, sizes in MiB. */
export function describeFiles(summary: FilesSummary): string {
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const { bytes, rowGroups } = summary;
  return `${summary.files} files of ${mib(bytes.min)}-${mib(bytes.max)} (median ${mib(bytes.median)}), ${rowGroups.min}-${rowGroups.max} row groups each (${rowGroups.total} in all, the largest ${mib(summary.largestGroup)})`;
}
