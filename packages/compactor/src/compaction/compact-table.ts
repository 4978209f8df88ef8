/**
 * @module compaction/compact-table
 * Compacting one Iceberg table: plan on its current snapshot, fold partition by partition, then
 * commit one `replace` snapshot that adds the new files with the data sequence number of the
 * snapshot read and removes the files folded. Writers that commit meanwhile are safe: their
 * equality deletes have higher sequence numbers, so they still apply to the rewritten rows, and
 * their data files are kept (the commit re-applies on the new head with
 * `assert-ref-snapshot-id`). When a concurrent commit removed a file this one removes (another
 * compaction), the work is discarded and planned again on the new head.
 */
import {
  type Catalogue,
  commitSnapshot,
  currentSchema,
  defaultSpec,
  type LakeLocation,
  planScan,
  type TableIdentifier,
  type TableMetadata,
} from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { wrapError } from "../errors.js";
import { type ProgressListener, report, tableName } from "../progress.js";
import type { CompactionLimits, CompactionOptions } from "./compaction-options.js";
import {
  type FileGrouping,
  isEmptyPlan,
  type PartitionGroup,
  planCompaction,
} from "./compaction-plan.js";
import { oversizedFiles } from "./input-parts.js";
import type { OutputFiles } from "./output-files.js";
import { foldPartition } from "./partition-fold.js";

/** Summary key marking a compaction's snapshot (its value: the snapshot id it was planned on). */
export const COMPACTED_FROM_PROPERTY = "lakesync.compacted-from";

/** What compacting one table did. */
export interface TableCompaction {
  /** The table, as `namespace.name`. */
  readonly table: string;
  /** The snapshot committed; `undefined` when there was nothing to do. */
  readonly snapshotId: number | undefined;
  /** The snapshot the compaction read. */
  readonly plannedOn: number | undefined;
  readonly dataFilesRewritten: number;
  readonly deleteFilesRemoved: number;
  readonly filesWritten: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Times the work was planned again because a concurrent commit removed its files. */
  readonly replans: number;
  /** Files with deletes left alone (too large for the budget, or an older spec). */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** What {@link compactTable} needs. */
export interface CompactTableRequest {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly table: TableIdentifier;
  readonly limits: CompactionLimits;
  readonly options: CompactionOptions;
  /** Groups an unpartitioned table's files (see `planCompaction`). */
  readonly grouping?: FileGrouping;
}

interface Attempt {
  readonly outputs: OutputFiles[];
  rowsRead: number;
  bytesRead: number;
}

/**
 * Compacts one table (see the module comment). Returns what it did (nothing, when no partition
 * needs it). `Err(CompactorError)`: `COMPACTION_FAILED` (the cause is the catalogue's, storage's
 * or Parquet reader's error; after `maxReplans` re-plans, the last conflict), `OVER_BUDGET`.
 * Nothing is committed on `Err`, and the files it wrote are deleted (unless the commit's outcome
 * is unknown: then orphan removal deletes them later if they were not committed).
 */
export async function compactTable(
  request: CompactTableRequest,
): Promise<Result<TableCompaction, LakeSyncError>> {
  const { catalogue, location, table, limits, options } = request;
  const name = tableName(table);
  const fail = (error: LakeSyncError) =>
    Err(wrapError("COMPACTION_FAILED", `compacting ${name}`, error));
  for (let replans = 0; ; replans++) {
    const loaded = await catalogue.loadTable(table);
    if (!loaded.ok) return fail(loaded.error);
    const { metadata } = loaded.value;
    const scan = await planScan(location, metadata);
    if (!scan.ok) return fail(scan.error);
    const oversized = await oversizedFiles(location, scan.value.dataFiles, limits);
    if (!oversized.ok) return fail(oversized.error);
    const plan = planCompaction(scan.value, metadata, limits, request.grouping, oversized.value);
    const plannedOn = plan.snapshot?.["snapshot-id"];
    const empty = {
      table: name,
      snapshotId: undefined,
      plannedOn,
      dataFilesRewritten: 0,
      deleteFilesRemoved: 0,
      filesWritten: 0,
      rowsRead: 0,
      rowsWritten: 0,
      bytesRead: 0,
      bytesWritten: 0,
      replans,
      skipped: plan.skipped,
    };
    if (!plan.snapshot || isEmptyPlan(plan)) return Ok(empty);
    const attempt = await foldAll(request, plan.groups, metadata, name);
    if (!attempt.ok) return attempt.error.code === "OVER_BUDGET" ? attempt : fail(attempt.error);
    const { outputs } = attempt.value;
    const added = outputs.flatMap((o) => o.files);
    const removed = [
      ...plan.groups.flatMap((g) => g.rewrite.map((f) => f.dataFile.filePath)),
      ...plan.removedDeletes.map((f) => f.dataFile.filePath),
    ];
    const committed = await commitSnapshot({
      catalogue,
      location,
      table,
      operation: "replace",
      addedFiles: added,
      removedFiles: removed,
      dataSequenceNumber: plan.snapshot["sequence-number"],
      summary: { [COMPACTED_FROM_PROPERTY]: String(plannedOn) },
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    // No commit key: a compaction stays "keyless" for the state pairing (ADR-015).
    if (committed.ok) {
      return Ok({
        ...empty,
        snapshotId: committed.value.snapshot["snapshot-id"],
        dataFilesRewritten: plan.groups.reduce((n, g) => n + g.rewrite.length, 0),
        deleteFilesRemoved: plan.removedDeletes.length,
        filesWritten: added.length,
        rowsRead: attempt.value.rowsRead,
        rowsWritten: outputs.reduce((n, o) => n + o.rowsWritten, 0),
        bytesRead: attempt.value.bytesRead,
        bytesWritten: outputs.reduce((n, o) => n + o.bytesWritten, 0),
      });
    }
    if (committed.error.code === "COMMIT_STATE_UNKNOWN") return fail(committed.error);
    await Promise.all(outputs.map((o) => o.discard()));
    // Re-plan only when the table moved on: another writer removed what this commit removes.
    const now = await catalogue.loadTable(table);
    const head = now.ok ? now.value.metadata["current-snapshot-id"] : undefined;
    const moved = now.ok && head !== plannedOn;
    const retryable =
      committed.error.code === "COMMIT_CONFLICT" || committed.error.code === "INVALID_INPUT";
    if (!moved || !retryable || replans >= limits.maxReplans) return fail(committed.error);
  }
}

async function foldAll(
  request: CompactTableRequest,
  groups: readonly PartitionGroup[],
  metadata: TableMetadata,
  name: string,
): Promise<Result<Attempt, LakeSyncError>> {
  const { location, limits, options } = request;
  const listener: ProgressListener | undefined = options.onProgress;
  const files = { done: 0, total: groups.reduce((n, g) => n + g.rewrite.length, 0) };
  const rows = {
    done: 0,
    total: groups.reduce(
      (n, g) => n + g.rewrite.reduce((m, f) => m + f.dataFile.recordCount, 0),
      0,
    ),
  };
  const attempt: Attempt = { outputs: [], rowsRead: 0, bytesRead: 0 };
  let writtenBefore = 0;
  const schema = currentSchema(metadata);
  const spec = defaultSpec(metadata);
  for (const group of groups) {
    const folded = await foldPartition(
      {
        location,
        metadata,
        schema,
        spec,
        limits,
        uuid: options.uuid ?? (() => crypto.randomUUID()),
        compression: options.compression ?? "snappy",
        onFile: (file, rowCount, bytesRead, bytesWritten) => {
          if (file) files.done++;
          rows.done += rowCount;
          attempt.bytesRead += bytesRead;
          report(listener, {
            operation: "compact",
            table: name,
            files: { ...files },
            rows: { ...rows },
            bytes: { read: attempt.bytesRead, written: writtenBefore + bytesWritten },
          });
        },
      },
      group,
    );
    if (!folded.ok) {
      await Promise.all(attempt.outputs.map((o) => o.discard()));
      return folded;
    }
    attempt.outputs.push(folded.value.output);
    attempt.rowsRead += folded.value.rowsRead;
    writtenBefore += folded.value.output.bytesWritten;
  }
  return Ok(attempt);
}
