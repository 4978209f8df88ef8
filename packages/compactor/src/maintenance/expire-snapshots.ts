/**
 * @module maintenance/expire-snapshots
 * Snapshot expiry for one table: snapshots older than the maximum age are removed from the
 * metadata (`remove-snapshots`, committed against the current head), except the newest
 * `retainLast` of the main branch, every snapshot another ref reaches, and the ids the caller
 * protects. Then the files only expired snapshots referenced (manifest lists, manifests, data
 * and delete files) are deleted — never before the commit, so a failure leaves at worst orphan
 * files for orphan removal.
 */
import {
  ancestry,
  type Catalogue,
  currentSnapshot,
  type LakeLocation,
  type Snapshot,
  snapshotById,
  type TableIdentifier,
  type TableMetadata,
} from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CompactorError, wrapError } from "../errors.js";
import { type ProgressListener, report, tableName } from "../progress.js";
import { snapshotReferences } from "./snapshot-references.js";

/** How long snapshots live. */
export interface SnapshotRetention {
  /** Snapshots older than this (ms) may expire. */
  readonly maxAgeMs: number;
  /** The newest snapshots of the main branch kept whatever their age (at least 1). */
  readonly retainLast: number;
}

/** What expiring one table's snapshots did. */
export interface SnapshotExpiry {
  readonly table: string;
  /** Ids of the snapshots removed. */
  readonly expired: readonly number[];
  /** Ids of the snapshots left. */
  readonly retained: readonly number[];
  /** Files deleted (manifest lists, manifests, data and delete files). */
  readonly filesDeleted: number;
}

/** What {@link expireSnapshots} needs. */
export interface ExpireSnapshotsRequest {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly table: TableIdentifier;
  readonly retention: SnapshotRetention;
  /** Epoch ms now. */
  readonly now: number;
  /** Snapshot ids never to expire, given the table's current metadata. */
  readonly protect?: (metadata: TableMetadata) => ReadonlySet<number>;
  readonly onProgress?: ProgressListener;
  /** Commits attempted before giving up on concurrent writers (default 8). */
  readonly attempts?: number;
}

/** The snapshots of `metadata` that `retention` and `protect` keep. */
export function retainedSnapshots(
  metadata: TableMetadata,
  retention: SnapshotRetention,
  now: number,
  protect: ReadonlySet<number> = new Set(),
): Set<number> {
  const keep = new Set<number>(protect);
  const main = ancestry(metadata, currentSnapshot(metadata));
  for (const s of main.slice(0, Math.max(1, retention.retainLast))) keep.add(s["snapshot-id"]);
  for (const [name, ref] of Object.entries(metadata.refs ?? {})) {
    if (name === "main") continue;
    for (const s of ancestry(metadata, snapshotById(metadata, ref["snapshot-id"])))
      keep.add(s["snapshot-id"]);
  }
  for (const s of metadata.snapshots ?? [])
    if (s["timestamp-ms"] >= now - retention.maxAgeMs) keep.add(s["snapshot-id"]);
  return keep;
}

/**
 * Expires the snapshots of one table (see the module comment). `Err(CompactorError)`
 * (`MAINTENANCE_FAILED`, the catalogue's or storage's error as the cause); when the commit
 * succeeded but deleting a file failed, the remaining files are left for orphan removal and
 * the error says so.
 */
export async function expireSnapshots(
  request: ExpireSnapshotsRequest,
): Promise<Result<SnapshotExpiry, LakeSyncError>> {
  const { catalogue, location, table } = request;
  const name = tableName(table);
  const fail = (error: LakeSyncError) =>
    Err(wrapError("MAINTENANCE_FAILED", `expiring snapshots of ${name}`, error));
  const attempts = Math.max(1, request.attempts ?? 8);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const loaded = await catalogue.loadTable(table);
    if (!loaded.ok) return fail(loaded.error);
    const { metadata } = loaded.value;
    const keep = retainedSnapshots(
      metadata,
      request.retention,
      request.now,
      request.protect?.(metadata),
    );
    const all = metadata.snapshots ?? [];
    const expired = all.filter((s) => !keep.has(s["snapshot-id"]));
    const retained = all.filter((s) => keep.has(s["snapshot-id"]));
    const result = {
      table: name,
      expired: expired.map((s) => s["snapshot-id"]),
      retained: retained.map((s) => s["snapshot-id"]),
      filesDeleted: 0,
    };
    if (expired.length === 0) return Ok(result);
    // What the expired snapshots could have written, minus what the retained ones still read.
    const gone = await snapshotReferences(location, expired, false);
    if (!gone.ok) return fail(gone.error);
    const kept = await snapshotReferences(location, retained, true);
    if (!kept.ok) return fail(kept.error);
    const head = currentSnapshot(metadata)?.["snapshot-id"] ?? null;
    const committed = await catalogue.commitTable(
      table,
      [
        { type: "assert-table-uuid", uuid: metadata["table-uuid"] },
        { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": head },
      ],
      [{ action: "remove-snapshots", "snapshot-ids": result.expired }],
    );
    if (!committed.ok) {
      if (committed.error.code === "COMMIT_CONFLICT") continue;
      return fail(committed.error);
    }
    const doomed = [
      ...[...gone.value.files].filter((f) => !kept.value.files.has(f)),
      ...[...gone.value.manifests].filter((f) => !kept.value.manifests.has(f)),
      ...[...gone.value.manifestLists].filter((f) => !kept.value.manifestLists.has(f)),
    ];
    const deleted = await deleteFiles(location, doomed, name, request.onProgress);
    if (!deleted.ok) return fail(deleted.error);
    return Ok({ ...result, filesDeleted: doomed.length });
  }
  return fail(new CompactorError("MAINTENANCE_FAILED", `concurrent commits won ${attempts} times`));
}

/** Deletes `uris`, reporting progress every 100 files. */
export async function deleteFiles(
  location: LakeLocation,
  uris: readonly string[],
  table: string,
  listener: ProgressListener | undefined,
  operation: "expire-snapshots" | "remove-orphans" = "expire-snapshots",
): Promise<Result<void, LakeSyncError>> {
  for (let i = 0; i < uris.length; i++) {
    const uri = uris[i] as string;
    const done = await location.delete(uri);
    if (!done.ok) return done;
    if ((i + 1) % 100 === 0 || i + 1 === uris.length)
      report(listener, {
        operation,
        table,
        files: { done: i + 1, total: uris.length },
        rows: { done: 0, total: 0 },
        bytes: { read: 0, written: 0 },
      });
  }
  return Ok(undefined);
}

/** The snapshots of `metadata` in the main branch, newest first. */
export function mainChain(metadata: TableMetadata): Snapshot[] {
  return ancestry(metadata, currentSnapshot(metadata));
}
