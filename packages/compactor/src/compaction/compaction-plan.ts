/**
 * @module compaction/compaction-plan
 * What one compaction of a table rewrites, partition by partition, decided from a scan plan of
 * its current snapshot: the data files that have delete files against them or are small (when a
 * partition has deletes or enough small files), and the delete files that no longer apply to
 * any data file left in place. Large files without deletes are left alone; files too large to
 * read within the memory budget are left alone with their deletes. A delete "is against" a data
 * file when the spec says it applies (newer, same partition) and, for deletes on `row_id`, their
 * `row_id` bounds overlap (a flush's delete file lists every row it touched, inserts included).
 */
import {
  compareValues,
  type PartitionValue,
  partitionKey,
  type ScanFile,
  type ScanPlan,
  type Snapshot,
  type TableMetadata,
} from "@lakesync/catalogue";
import type { CompactionLimits } from "./compaction-options.js";

/** The work of one partition (or, in an unpartitioned table, one group of files). */
export interface PartitionGroup {
  readonly specId: number;
  readonly partition: Readonly<Record<string, PartitionValue>>;
  /** Data files to read, fold and write again. */
  readonly rewrite: readonly ScanFile[];
  /** The delete files that apply to the rewritten files (what the fold must apply). */
  readonly deletes: readonly ScanFile[];
}

/** What one compaction of a table does. */
export interface CompactionPlan {
  /** The snapshot planned on (`undefined`: the table has none, nothing to do). */
  readonly snapshot: Snapshot | undefined;
  readonly groups: readonly PartitionGroup[];
  /** Delete files the compaction removes: they apply to no data file that stays. */
  readonly removedDeletes: readonly ScanFile[];
  /** Files left alone although they have deletes against them, and why. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** Which files a plan may group together in an unpartitioned table (default: all). */
export type FileGrouping = (file: ScanFile) => string;

const groupKey = (file: ScanFile, grouping: FileGrouping | undefined) =>
  `${file.specId}|${partitionKey(file.dataFile.partition)}|${grouping ? grouping(file) : ""}`;

/**
 * False when an equality delete on one string column (LakeSync's `row_id`) cannot match any row
 * of `file`: their bounds on that column do not overlap. Bounds are UTF-8 bytes, compared
 * unsigned, as Iceberg orders strings; truncated bounds still enclose the values.
 */
function mayMatch(d: ScanFile, file: ScanFile, stringIds: ReadonlySet<number>): boolean {
  const ids = d.dataFile.equalityIds ?? [];
  const id = ids[0];
  if (ids.length !== 1 || id === undefined || !stringIds.has(id)) return true;
  const dLower = d.dataFile.lowerBounds?.get(id);
  const dUpper = d.dataFile.upperBounds?.get(id);
  const fLower = file.dataFile.lowerBounds?.get(id);
  const fUpper = file.dataFile.upperBounds?.get(id);
  if (!dLower || !dUpper || !fLower || !fUpper) return true;
  return compareValues(dUpper, fLower) >= 0 && compareValues(fUpper, dLower) >= 0;
}

/** The delete files that apply to `file` (spec "Scan Planning"), from deletes indexed by partition. */
function applicable(
  file: ScanFile,
  local: readonly ScanFile[],
  global: readonly ScanFile[],
  stringIds: ReadonlySet<number>,
): ScanFile[] {
  const out: ScanFile[] = [];
  for (const d of local) {
    if (d.dataFile.content === 2) {
      if (d.sequenceNumber > file.sequenceNumber && mayMatch(d, file, stringIds)) out.push(d);
      continue;
    }
    const target = d.dataFile.referencedDataFile;
    if (
      d.sequenceNumber >= file.sequenceNumber &&
      (target === undefined || target === file.dataFile.filePath)
    )
      out.push(d);
  }
  for (const d of global)
    if (d.sequenceNumber > file.sequenceNumber && mayMatch(d, file, stringIds)) out.push(d);
  return out;
}

/**
 * Plans the compaction of the snapshot `scan` describes (see the module comment). `grouping`
 * splits an unpartitioned table's files into groups that are compacted apart (the history table
 * keeps one synced table per file). Files in `oversized` (a row group larger than the budget
 * lets one input part hold: `oversizedFiles`) are left alone, and reported when they have deletes.
 */
export function planCompaction(
  scan: ScanPlan,
  metadata: TableMetadata,
  limits: CompactionLimits,
  grouping?: FileGrouping,
  oversized: ReadonlySet<string> = new Set(),
): CompactionPlan {
  const defaultSpecId = metadata["default-spec-id"];
  // Columns that are strings in every schema: their bounds can rule deletes out.
  const stringIds = new Set<number>();
  for (const schema of metadata.schemas)
    for (const f of schema.fields) if (f.type === "string") stringIds.add(f.id);
  for (const schema of metadata.schemas)
    for (const f of schema.fields) if (f.type !== "string") stringIds.delete(f.id);
  const byPartition = new Map<string, ScanFile[]>();
  const global: ScanFile[] = [];
  for (const d of scan.deleteFiles) {
    if (d.dataFile.content === 2 && scan.unpartitionedSpecIds.has(d.specId)) {
      global.push(d);
      continue;
    }
    const key = `${d.specId}|${partitionKey(d.dataFile.partition)}`;
    const list = byPartition.get(key) ?? [];
    list.push(d);
    byPartition.set(key, list);
  }
  const groups = new Map<string, ScanFile[]>();
  for (const file of scan.dataFiles) {
    const key = groupKey(file, scan.unpartitionedSpecIds.has(file.specId) ? grouping : undefined);
    const list = groups.get(key) ?? [];
    list.push(file);
    groups.set(key, list);
  }
  // Which data files each delete file applies to, and which of those are rewritten.
  const appliesTo = new Map<ScanFile, ScanFile[]>();
  const rewritten = new Set<ScanFile>();
  const out: PartitionGroup[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const files of groups.values()) {
    const first = files[0] as ScanFile;
    const local =
      byPartition.get(`${first.specId}|${partitionKey(first.dataFile.partition)}`) ?? [];
    const deletesOf = new Map<ScanFile, ScanFile[]>();
    for (const file of files) {
      const list = applicable(file, local, global, stringIds);
      deletesOf.set(file, list);
      for (const d of list) appliesTo.set(d, [...(appliesTo.get(d) ?? []), file]);
    }
    if (first.specId !== defaultSpecId) {
      for (const file of files)
        if ((deletesOf.get(file) ?? []).length > 0)
          skipped.push({ path: file.dataFile.filePath, reason: "written with an older spec" });
      continue;
    }
    const small = files.filter((f) => f.dataFile.fileSizeInBytes < limits.smallFileBytes);
    const withDeletes = files.filter((f) => (deletesOf.get(f) ?? []).length > 0);
    if (withDeletes.length === 0 && small.length < limits.minSmallFiles) continue;
    const chosen = new Set([...withDeletes, ...small]);
    // Large files are read a few row groups at a time (`input-parts`), unless one of their row
    // groups alone does not fit the budget.
    const rewrite: ScanFile[] = [];
    for (const file of chosen) {
      if (oversized.has(file.dataFile.filePath)) {
        if ((deletesOf.get(file) ?? []).length > 0)
          skipped.push({
            path: file.dataFile.filePath,
            reason: `a row group of its ${file.dataFile.fileSizeInBytes} bytes does not fit the memory budget`,
          });
        continue;
      }
      rewrite.push(file);
    }
    // Rewriting one small file alone, with no deletes to fold, changes nothing.
    if (rewrite.length === 1 && (deletesOf.get(rewrite[0] as ScanFile) ?? []).length === 0)
      continue;
    if (rewrite.length === 0) continue;
    rewrite.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    for (const file of rewrite) rewritten.add(file);
    const deletes = new Set<ScanFile>();
    for (const file of rewrite) for (const d of deletesOf.get(file) ?? []) deletes.add(d);
    out.push({
      specId: first.specId,
      partition: first.dataFile.partition,
      rewrite,
      deletes: [...deletes],
    });
  }
  const removedDeletes = scan.deleteFiles.filter((d) =>
    (appliesTo.get(d) ?? []).every((f) => rewritten.has(f)),
  );
  return { snapshot: scan.snapshot, groups: out, removedDeletes, skipped };
}

/** True when a plan changes nothing. */
export function isEmptyPlan(plan: CompactionPlan): boolean {
  return plan.groups.length === 0 && plan.removedDeletes.length === 0;
}
