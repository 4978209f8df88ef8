/**
 * @module commit/plan-snapshot
 * The files of one commit attempt. New files go into one new manifest per content kind, written
 * once per commit and reused by every attempt (their sequence numbers are inherited, so they
 * do not depend on the parent). Per attempt: the parent's manifests are carried over, those
 * holding files to remove are rewritten (those entries DELETED, the others EXISTING, with their
 * sequence numbers written out), manifests left with no live file are dropped, and a manifest list
 * is written for the attempt's sequence number.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import type { AvroCodec } from "../iceberg/avro/avro-container.js";
import {
  type DataFile,
  EntryStatus,
  type ManifestEntry,
  type ManifestFile,
} from "../iceberg/content-file.js";
import { type ManifestContentName, writeManifest } from "../iceberg/manifest.js";
import { summariseManifest, writeManifestList } from "../iceberg/manifest-list.js";
import { currentSchema, specById } from "../iceberg/metadata.js";
import { readManifestEntries, readSnapshotManifests } from "../iceberg/snapshot-files.js";
import type { IcebergSchema, PartitionSpec, Snapshot, TableMetadata } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";

/** A manifest written for this commit, reused across attempts. */
export interface NewManifest {
  readonly path: string;
  readonly length: number;
  readonly content: ManifestContentName;
  readonly schema: IcebergSchema;
  readonly spec: PartitionSpec;
  readonly entries: readonly ManifestEntry[];
}

/** One attempt's files. */
export interface AttemptFiles {
  readonly manifestList: string;
  readonly manifests: readonly ManifestFile[];
  /** The files this attempt removes, as their manifests recorded them. */
  readonly removed: readonly DataFile[];
  /** Paths of files to remove that are not live in the parent. */
  readonly missing: readonly string[];
  /** Files written by this attempt only (for clean-up after a definite conflict). */
  readonly written: readonly string[];
  readonly manifestsKept: number;
  readonly manifestsReplaced: number;
}

const manifestPath = (metadata: TableMetadata, suffix: string) =>
  `${metadata.location}/metadata/${crypto.randomUUID()}-${suffix}.avro`;

async function store(
  location: LakeLocation,
  path: string,
  bytes: Result<Uint8Array, CatalogueError>,
): Promise<Result<number, CatalogueError>> {
  if (!bytes.ok) return bytes;
  const put = await location.write(path, bytes.value);
  return put.ok ? Ok(bytes.value.length) : put;
}

/**
 * Writes the new manifests of a commit: data files in one, delete files in another, under the
 * table's default spec and current schema. `dataSequenceNumber`, when given, is written
 * explicitly on every entry (files whose rows belong to an older snapshot, as a compactor adds).
 */
export async function writeNewManifests(
  location: LakeLocation,
  metadata: TableMetadata,
  files: readonly DataFile[],
  dataSequenceNumber: number | undefined,
  codec: AvroCodec,
): Promise<Result<NewManifest[], CatalogueError>> {
  const schema = currentSchema(metadata);
  const spec = specById(metadata, metadata["default-spec-id"]) ?? { "spec-id": 0, fields: [] };
  const out: NewManifest[] = [];
  for (const content of ["data", "deletes"] as const) {
    const chosen = files.filter((f) => (f.content === 0) === (content === "data"));
    if (chosen.length === 0) continue;
    const entries: ManifestEntry[] = chosen.map((dataFile) => ({
      status: EntryStatus.ADDED,
      snapshotId: null,
      sequenceNumber: dataSequenceNumber ?? null,
      fileSequenceNumber: null,
      dataFile,
    }));
    const path = manifestPath(metadata, `m${out.length}`);
    const length = await store(
      location,
      path,
      await writeManifest({ schema, spec, content, entries, codec }),
    );
    if (!length.ok) return length;
    out.push({ path, length: length.value, content, schema, spec, entries });
  }
  return Ok(out);
}

/** Writes the rewritten manifests and the manifest list of one attempt. */
export async function writeAttemptFiles(options: {
  readonly location: LakeLocation;
  readonly metadata: TableMetadata;
  readonly parent: Snapshot | undefined;
  readonly snapshotId: number;
  readonly sequenceNumber: number;
  readonly attempt: number;
  readonly newManifests: readonly NewManifest[];
  readonly removedPaths: ReadonlySet<string>;
  readonly codec: AvroCodec;
}): Promise<Result<AttemptFiles, CatalogueError>> {
  const { location, metadata, snapshotId, sequenceNumber, codec } = options;
  const carried = await readSnapshotManifests(location, options.parent);
  if (!carried.ok) return carried;
  const listed: ManifestFile[] = [];
  for (const m of options.newManifests) {
    const summary = summariseManifest({
      manifestPath: m.path,
      manifestLength: m.length,
      schema: m.schema,
      spec: m.spec,
      content: m.content === "data" ? 0 : 1,
      addedSnapshotId: snapshotId,
      sequenceNumber,
      entries: m.entries,
    });
    if (!summary.ok) return summary;
    listed.push(summary.value);
  }
  const written: string[] = [];
  const removed: DataFile[] = [];
  const found = new Set<string>();
  let kept = 0;
  let replaced = 0;
  for (const manifest of carried.value) {
    // A manifest left with no live file (its files were removed by the parent) is dropped, as
    // the reference implementation does: only the snapshot that removed them lists it.
    if (manifest.addedFilesCount + manifest.existingFilesCount === 0) continue;
    if (options.removedPaths.size === 0) {
      listed.push(manifest);
      kept++;
      continue;
    }
    const entries = await readManifestEntries(location, manifest);
    if (!entries.ok) return entries;
    const live = entries.value.filter((e) => e.status !== EntryStatus.DELETED);
    if (!live.some((e) => options.removedPaths.has(e.dataFile.filePath))) {
      listed.push(manifest);
      kept++;
      continue;
    }
    const rewritten: ManifestEntry[] = live.map((e) => {
      const gone = options.removedPaths.has(e.dataFile.filePath);
      if (gone) {
        found.add(e.dataFile.filePath);
        removed.push(e.dataFile);
      }
      return {
        status: gone ? EntryStatus.DELETED : EntryStatus.EXISTING,
        snapshotId: gone ? snapshotId : e.snapshotId,
        sequenceNumber: e.sequenceNumber,
        fileSequenceNumber: e.fileSequenceNumber,
        dataFile: e.dataFile,
      };
    });
    const spec = specById(metadata, manifest.partitionSpecId);
    if (!spec)
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `manifest ${manifest.manifestPath} uses unknown spec ${manifest.partitionSpecId}`,
        ),
      );
    const schema = currentSchema(metadata);
    const content = manifest.content === 0 ? "data" : "deletes";
    const path = manifestPath(metadata, `r${replaced}`);
    const length = await store(
      location,
      path,
      await writeManifest({ schema, spec, content, entries: rewritten, codec }),
    );
    if (!length.ok) return length;
    written.push(path);
    const summary = summariseManifest({
      manifestPath: path,
      manifestLength: length.value,
      schema,
      spec,
      content: manifest.content,
      addedSnapshotId: snapshotId,
      sequenceNumber,
      entries: rewritten,
    });
    if (!summary.ok) return summary;
    listed.push(summary.value);
    replaced++;
  }
  const manifestList = `${metadata.location}/metadata/snap-${snapshotId}-${options.attempt}-${crypto.randomUUID()}.avro`;
  const list = await store(
    location,
    manifestList,
    await writeManifestList({
      snapshotId,
      parentSnapshotId: options.parent?.["snapshot-id"] ?? null,
      sequenceNumber,
      manifests: listed,
      codec,
    }),
  );
  if (!list.ok) return list;
  written.push(manifestList);
  return Ok({
    manifestList,
    manifests: listed,
    removed,
    missing: [...options.removedPaths].filter((p) => !found.has(p)),
    written,
    manifestsKept: kept,
    manifestsReplaced: replaced,
  });
}
