/**
 * @module iceberg/snapshot-files
 * Reading a snapshot's files through a {@link LakeLocation}: its manifest list, then the entries
 * of each manifest with inherited values filled in (spec "Sequence Number Inheritance": a null
 * snapshot id comes from the manifest's `added_snapshot_id`; null sequence numbers of ADDED
 * entries from the manifest's `sequence_number`).
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import type { LakeLocation } from "../lake/lake-location.js";
import {
  type DataFile,
  EntryStatus,
  type ManifestEntry,
  type ManifestFile,
} from "./content-file.js";
import { readManifest } from "./manifest.js";
import { readManifestList } from "./manifest-list.js";
import type { Snapshot } from "./types.js";

/** A manifest entry with every inherited number resolved. */
export interface ResolvedEntry {
  readonly status: EntryStatus;
  readonly snapshotId: number;
  /** The data sequence number (deletes apply by it). */
  readonly sequenceNumber: number;
  readonly fileSequenceNumber: number;
  /** The partition spec the manifest was written with. */
  readonly specId: number;
  readonly dataFile: DataFile;
}

/** The manifests of `snapshot` (an empty list for none). */
export async function readSnapshotManifests(
  location: LakeLocation,
  snapshot: Snapshot | undefined,
): Promise<Result<ManifestFile[], CatalogueError>> {
  if (!snapshot) return Ok([]);
  const bytes = await location.read(snapshot["manifest-list"]);
  if (!bytes.ok) return bytes;
  return readManifestList(bytes.value);
}

/**
 * `entry` with inherited values filled in from `manifest`. `Err(CatalogueError)`
 * (`INVALID_INPUT`) for an EXISTING or DELETED entry without its sequence numbers.
 */
export function resolveEntry(
  entry: ManifestEntry,
  manifest: ManifestFile,
): Result<ResolvedEntry, CatalogueError> {
  const added = entry.status === EntryStatus.ADDED;
  const sequenceNumber = entry.sequenceNumber ?? (added ? manifest.sequenceNumber : null);
  const fileSequenceNumber = entry.fileSequenceNumber ?? (added ? manifest.sequenceNumber : null);
  if (sequenceNumber === null || fileSequenceNumber === null)
    return Err(
      new CatalogueError(
        "INVALID_INPUT",
        `manifest ${manifest.manifestPath}: entry for ${entry.dataFile.filePath} has status ${entry.status} but no sequence numbers`,
      ),
    );
  return Ok({
    status: entry.status,
    snapshotId: entry.snapshotId ?? manifest.addedSnapshotId,
    sequenceNumber,
    fileSequenceNumber,
    specId: manifest.partitionSpecId,
    dataFile: entry.dataFile,
  });
}

/** Every entry of `manifest` (all statuses), resolved. */
export async function readManifestEntries(
  location: LakeLocation,
  manifest: ManifestFile,
): Promise<Result<ResolvedEntry[], CatalogueError>> {
  const bytes = await location.read(manifest.manifestPath);
  if (!bytes.ok) return bytes;
  const read = await readManifest(bytes.value);
  if (!read.ok)
    return Err(
      new CatalogueError("INVALID_INPUT", `${manifest.manifestPath}: ${read.error.message}`, {
        cause: read.error,
      }),
    );
  const out: ResolvedEntry[] = [];
  for (const entry of read.value.entries) {
    const resolved = resolveEntry(entry, manifest);
    if (!resolved.ok) return resolved;
    out.push(resolved.value);
  }
  return Ok(out);
}
