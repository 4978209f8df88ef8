/**
 * @module maintenance/remove-orphans
 * Orphan removal for one table: every file under the table's location that no metadata
 * references — not the current metadata file or those its metadata log lists, not a snapshot's
 * manifest list, manifest, data or delete file (in any status) — and that is older than the
 * safety age, so that files a writer has stored but not yet committed are never touched. Files
 * a crash left half-written (the file-system lake's `.lakesync-tmp-*`) are orphans too, when the
 * listing shows them (`@lakesync/compactor/node`'s lister does).
 */
import type { ObjectInfo } from "@lakesync/adapter";
import type { Catalogue, LakeLocation, TableIdentifier } from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { wrapError } from "../errors.js";
import { type ProgressListener, tableName } from "../progress.js";
import { deleteFiles } from "./expire-snapshots.js";
import { snapshotReferences } from "./snapshot-references.js";

/** Lists the objects under an adapter key prefix (default: the adapter's `listObjects`). */
export type FileLister = (prefix: string) => Promise<Result<readonly ObjectInfo[], LakeSyncError>>;

/** What removing one table's orphans did. */
export interface OrphanRemoval {
  readonly table: string;
  /** The URIs deleted. */
  readonly removed: readonly string[];
  /** Unreferenced files left because they are younger than the safety age. */
  readonly tooYoung: number;
}

/** What {@link removeOrphans} needs. */
export interface RemoveOrphansRequest {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly table: TableIdentifier;
  /** Files modified less than this many ms ago are kept. */
  readonly minAgeMs: number;
  /** Epoch ms now. */
  readonly now: number;
  readonly list?: FileLister;
  /** Storage-key prefixes (ending in `/`) of other tables located inside this one's: left alone. */
  readonly exclude?: readonly string[];
  readonly onProgress?: ProgressListener;
}

/**
 * Removes one table's orphan files (see the module comment). `Err(CompactorError)`
 * (`MAINTENANCE_FAILED`) when the metadata, a manifest or the listing cannot be read, or a
 * delete fails.
 */
export async function removeOrphans(
  request: RemoveOrphansRequest,
): Promise<Result<OrphanRemoval, LakeSyncError>> {
  const { catalogue, location, table } = request;
  const name = tableName(table);
  const fail = (error: LakeSyncError) =>
    Err(wrapError("MAINTENANCE_FAILED", `removing orphan files of ${name}`, error));
  const loaded = await catalogue.loadTable(table);
  if (!loaded.ok) return fail(loaded.error);
  const { metadata, metadataLocation } = loaded.value;
  const refs = await snapshotReferences(location, metadata.snapshots ?? [], false);
  if (!refs.ok) return fail(refs.error);
  const uris = [
    metadataLocation,
    ...(metadata["metadata-log"] ?? []).map((e) => e["metadata-file"]),
    ...refs.value.manifestLists,
    ...refs.value.manifests,
    ...refs.value.files,
  ];
  // Compared by adapter key, so two spellings of one URI cannot make a referenced file an orphan;
  // a reference outside the warehouse means the listing cannot be judged: nothing is removed.
  const referenced = new Set<string>();
  for (const uri of uris) {
    const key = location.keyOf(uri);
    if (!key.ok) return fail(key.error);
    referenced.add(key.value);
  }
  const root = location.keyOf(metadata.location);
  if (!root.ok) return fail(root.error);
  const list = request.list ?? ((p: string) => location.adapter.listObjects(p));
  const listed = await list(`${root.value}/`);
  if (!listed.ok) return fail(listed.error);
  const removed: string[] = [];
  let tooYoung = 0;
  const exclude = request.exclude ?? [];
  for (const object of listed.value) {
    if (referenced.has(object.key) || exclude.some((p) => object.key.startsWith(p))) continue;
    if (object.lastModified.getTime() > request.now - request.minAgeMs) {
      tooYoung++;
      continue;
    }
    removed.push(location.uriOf(object.key));
  }
  const deleted = await deleteFiles(location, removed, name, request.onProgress, "remove-orphans");
  if (!deleted.ok) return fail(deleted.error);
  return Ok({ table: name, removed, tooYoung });
}
