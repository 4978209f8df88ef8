/**
 * @module scan/plan-scan
 * LakeSync's own scan planner, for readers that fold files themselves (the compactor, the
 * analyst): the live data files and delete files of a snapshot with their sequence numbers and
 * partitions, and which deletes apply to which data file (spec "Scan Planning": an equality
 * delete applies to data files with a strictly lower data sequence number in the same partition,
 * or to every partition when its spec is unpartitioned; a position delete to files with a lower
 * or equal one).
 *
 * @example
 * const plan = unwrapOrThrow(await planScan(location, table.metadata));
 * for (const file of plan.dataFiles) read(file.dataFile.filePath, deletesFor(plan, file));
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { EntryStatus } from "../iceberg/content-file.js";
import { currentSnapshot, snapshotAsOf, snapshotById } from "../iceberg/metadata.js";
import { partitionKey } from "../iceberg/partition.js";
import {
  type ResolvedEntry,
  readManifestEntries,
  readSnapshotManifests,
} from "../iceberg/snapshot-files.js";
import type { Snapshot, TableMetadata } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";

/** Which snapshot to plan: the current one (default), one by id, or the one current at a time. */
export interface PlanScanOptions {
  readonly snapshotId?: number;
  /** Epoch milliseconds; the snapshot current then according to the snapshot log. */
  readonly asOfTimestampMs?: number;
}

/** A live file of the planned snapshot. */
export type ScanFile = ResolvedEntry;

/** The files of one snapshot. */
export interface ScanPlan {
  /** The planned snapshot; `undefined` for a table without snapshots (both lists empty). */
  readonly snapshot: Snapshot | undefined;
  readonly dataFiles: readonly ScanFile[];
  readonly deleteFiles: readonly ScanFile[];
  /** Spec ids whose spec has no fields: deletes written with them apply to every partition. */
  readonly unpartitionedSpecIds: ReadonlySet<number>;
}

function pick(
  metadata: TableMetadata,
  options: PlanScanOptions,
): Result<Snapshot | undefined, CatalogueError> {
  if (options.snapshotId !== undefined) {
    const found = snapshotById(metadata, options.snapshotId);
    return found
      ? Ok(found)
      : Err(new CatalogueError("INVALID_INPUT", `the table has no snapshot ${options.snapshotId}`));
  }
  if (options.asOfTimestampMs !== undefined) {
    const found = snapshotAsOf(metadata, options.asOfTimestampMs);
    return found
      ? Ok(found)
      : Err(
          new CatalogueError(
            "INVALID_INPUT",
            `the snapshot log has no snapshot at or before ${options.asOfTimestampMs}`,
          ),
        );
  }
  return Ok(currentSnapshot(metadata));
}

/**
 * Plans a scan of one snapshot of the table described by `metadata`, reading its manifest list
 * and manifests through `location`. Returns `Err(CatalogueError)`: `INVALID_INPUT` for an
 * unknown snapshot id, a time before the snapshot log, or unreadable manifests;
 * `CATALOGUE_UNAVAILABLE` when a file cannot be read.
 */
export async function planScan(
  location: LakeLocation,
  metadata: TableMetadata,
  options: PlanScanOptions = {},
): Promise<Result<ScanPlan, CatalogueError>> {
  const snapshot = pick(metadata, options);
  if (!snapshot.ok) return snapshot;
  const unpartitionedSpecIds = new Set(
    metadata["partition-specs"].filter((s) => s.fields.length === 0).map((s) => s["spec-id"]),
  );
  const manifests = await readSnapshotManifests(location, snapshot.value);
  if (!manifests.ok) return manifests;
  const dataFiles: ScanFile[] = [];
  const deleteFiles: ScanFile[] = [];
  const entries = await Promise.all(manifests.value.map((m) => readManifestEntries(location, m)));
  for (const read of entries) {
    if (!read.ok) return read;
    for (const entry of read.value) {
      if (entry.status === EntryStatus.DELETED) continue;
      (entry.dataFile.content === 0 ? dataFiles : deleteFiles).push(entry);
    }
  }
  return Ok({ snapshot: snapshot.value, dataFiles, deleteFiles, unpartitionedSpecIds });
}

/** The delete files of `plan` that apply to `dataFile` (see the module comment). */
export function deletesFor(plan: ScanPlan, dataFile: ScanFile): ScanFile[] {
  const key = partitionKey(dataFile.dataFile.partition);
  return plan.deleteFiles.filter((d) => {
    const samePartition =
      d.specId === dataFile.specId && partitionKey(d.dataFile.partition) === key;
    if (d.dataFile.content === 2)
      return (
        d.sequenceNumber > dataFile.sequenceNumber &&
        (samePartition || plan.unpartitionedSpecIds.has(d.specId))
      );
    const target = d.dataFile.referencedDataFile;
    return (
      d.sequenceNumber >= dataFile.sequenceNumber &&
      samePartition &&
      (target === undefined || target === dataFile.dataFile.filePath)
    );
  });
}
