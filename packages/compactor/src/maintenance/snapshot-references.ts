/**
 * @module maintenance/snapshot-references
 * The files a set of snapshots references: their manifest lists, their manifests, and the data
 * and delete files those manifests list, either live only (what reading the snapshots needs) or
 * in every status (what could ever have been written for them). Manifests shared by several
 * snapshots are read once.
 */
import {
  EntryStatus,
  type LakeLocation,
  readManifestEntries,
  readSnapshotManifests,
  type Snapshot,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";

/** The files of some snapshots, by URI. */
export interface SnapshotReferences {
  readonly manifestLists: Set<string>;
  readonly manifests: Set<string>;
  /** Data and delete files. */
  readonly files: Set<string>;
}

/**
 * The files `snapshots` reference (see the module comment); `liveOnly` leaves out files whose
 * entries are DELETED. `Err(CatalogueError)` when a manifest list or manifest cannot be read.
 */
export async function snapshotReferences(
  location: LakeLocation,
  snapshots: readonly Snapshot[],
  liveOnly: boolean,
): Promise<Result<SnapshotReferences, LakeSyncError>> {
  const out: SnapshotReferences = {
    manifestLists: new Set(),
    manifests: new Set(),
    files: new Set(),
  };
  for (const snapshot of snapshots) {
    if (out.manifestLists.has(snapshot["manifest-list"])) continue;
    out.manifestLists.add(snapshot["manifest-list"]);
    const manifests = await readSnapshotManifests(location, snapshot);
    if (!manifests.ok) return manifests;
    for (const manifest of manifests.value) {
      // A manifest is immutable: its entries are the same for every snapshot that lists it.
      if (out.manifests.has(manifest.manifestPath)) continue;
      out.manifests.add(manifest.manifestPath);
      const entries = await readManifestEntries(location, manifest);
      if (!entries.ok) return entries;
      for (const entry of entries.value)
        if (!liveOnly || entry.status !== EntryStatus.DELETED)
          out.files.add(entry.dataFile.filePath);
    }
  }
  return Ok(out);
}
