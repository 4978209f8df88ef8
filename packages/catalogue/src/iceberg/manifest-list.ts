/**
 * @module iceberg/manifest-list
 * Writing and reading v2 manifest lists (an Avro container of `manifest_file` records, one per
 * manifest of a snapshot), and summarising a manifest's entries into its list record: file and
 * row counts by status, the lowest live data sequence number and per-partition-field bounds.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { type AvroCodec, readAvroContainer, writeAvroContainer } from "./avro/avro-container.js";
import {
  EntryStatus,
  type FieldSummary,
  type ManifestContent,
  type ManifestEntry,
  type ManifestFile,
} from "./content-file.js";
import { type DecodedRecord, manifestFileOf } from "./manifest-decode.js";
import { MANIFEST_FILE_SCHEMA } from "./manifest-schema.js";
import { partitionFields, type TypedPartitionField } from "./partition.js";
import { compareValues, type PrimitiveValue, serialiseValue } from "./single-value.js";
import type { IcebergSchema, PartitionSpec } from "./types.js";

/** What {@link writeManifestList} writes. */
export interface ManifestListWriteOptions {
  readonly snapshotId: number;
  readonly parentSnapshotId: number | null;
  readonly sequenceNumber: number;
  /** New manifests first, then the ones carried over from the parent. */
  readonly manifests: readonly ManifestFile[];
  readonly codec?: AvroCodec;
}

function bytes(value: Uint8Array | undefined): Uint8Array | null {
  return value === undefined ? null : value;
}

function record(m: ManifestFile) {
  return {
    manifest_path: m.manifestPath,
    manifest_length: m.manifestLength,
    partition_spec_id: m.partitionSpecId,
    content: m.content,
    sequence_number: m.sequenceNumber,
    min_sequence_number: m.minSequenceNumber,
    added_snapshot_id: m.addedSnapshotId,
    added_files_count: m.addedFilesCount,
    existing_files_count: m.existingFilesCount,
    deleted_files_count: m.deletedFilesCount,
    added_rows_count: m.addedRowsCount,
    existing_rows_count: m.existingRowsCount,
    deleted_rows_count: m.deletedRowsCount,
    partitions:
      m.partitions?.map((p) => ({
        contains_null: p.containsNull,
        contains_nan: p.containsNan ?? null,
        lower_bound: bytes(p.lowerBound),
        upper_bound: bytes(p.upperBound),
      })) ?? null,
    key_metadata: bytes(m.keyMetadata),
  };
}

/**
 * Writes a v2 manifest list (file metadata `snapshot-id`, `parent-snapshot-id`,
 * `sequence-number`, `format-version`). Returns `Err(CatalogueError)` (`INVALID_INPUT`) when a
 * record does not fit the schema (for example a count that is not an integer).
 */
export async function writeManifestList(
  options: ManifestListWriteOptions,
): Promise<Result<Uint8Array, CatalogueError>> {
  let records: unknown[];
  try {
    records = options.manifests.map(record);
  } catch (cause) {
    return Err(
      cause instanceof CatalogueError
        ? cause
        : new CatalogueError("INVALID_INPUT", String(cause), { cause }),
    );
  }
  return writeAvroContainer(MANIFEST_FILE_SCHEMA, records, {
    codec: options.codec ?? "null",
    metadata: {
      "snapshot-id": String(options.snapshotId),
      "parent-snapshot-id":
        options.parentSnapshotId === null ? "null" : String(options.parentSnapshotId),
      "sequence-number": String(options.sequenceNumber),
      "format-version": "2",
    },
  });
}

/**
 * Reads a manifest list. Returns `Err(CatalogueError)` (`INVALID_INPUT`) for bytes that are not
 * an Avro container or records without the `manifest_file` fields.
 */
export async function readManifestList(
  input: Uint8Array,
): Promise<Result<ManifestFile[], CatalogueError>> {
  const container = await readAvroContainer(input);
  if (!container.ok) return container;
  try {
    return Ok(
      container.value.records.map((r, i) => manifestFileOf(r as DecodedRecord, `manifests[${i}]`)),
    );
  } catch (cause) {
    return Err(
      new CatalogueError(
        "INVALID_INPUT",
        `not a readable manifest list: ${(cause as Error).message}`,
        { cause },
      ),
    );
  }
}

/** What {@link summariseManifest} needs besides the entries. */
export interface ManifestSummaryOptions {
  readonly manifestPath: string;
  readonly manifestLength: number;
  readonly schema: IcebergSchema;
  readonly spec: PartitionSpec;
  readonly content: ManifestContent;
  readonly addedSnapshotId: number;
  /** The sequence number of the snapshot adding the manifest; inherited by null entries. */
  readonly sequenceNumber: number;
  readonly entries: readonly ManifestEntry[];
}

function fieldSummary(field: TypedPartitionField, entries: readonly ManifestEntry[]): FieldSummary {
  let containsNull = false;
  let containsNan = false;
  let lower: PrimitiveValue | undefined;
  let upper: PrimitiveValue | undefined;
  for (const entry of entries) {
    const value = entry.dataFile.partition[field.field.name] ?? null;
    if (value === null) containsNull = true;
    else if (typeof value === "number" && Number.isNaN(value)) containsNan = true;
    else {
      if (lower === undefined || compareValues(value, lower) < 0) lower = value;
      if (upper === undefined || compareValues(value, upper) > 0) upper = value;
    }
  }
  const lowerBound = lower === undefined ? undefined : serialiseValue(field.type, lower);
  const upperBound = upper === undefined ? undefined : serialiseValue(field.type, upper);
  return {
    containsNull,
    ...(field.type === "float" || field.type === "double" ? { containsNan } : {}),
    ...(lowerBound === undefined ? {} : { lowerBound }),
    ...(upperBound === undefined ? {} : { upperBound }),
  };
}

/**
 * The manifest list record of a manifest holding `entries`. Returns `Err(CatalogueError)`
 * (`INVALID_INPUT`) when the spec does not resolve against the schema.
 */
export function summariseManifest(
  options: ManifestSummaryOptions,
): Result<ManifestFile, CatalogueError> {
  const fields = partitionFields(options.spec, options.schema);
  if (!fields.ok) return fields;
  const files = [0, 0, 0];
  const rows = [0, 0, 0];
  let minSequence = Number.POSITIVE_INFINITY;
  for (const entry of options.entries) {
    files[entry.status] = (files[entry.status] as number) + 1;
    rows[entry.status] = (rows[entry.status] as number) + entry.dataFile.recordCount;
    if (entry.status !== EntryStatus.DELETED)
      minSequence = Math.min(minSequence, entry.sequenceNumber ?? options.sequenceNumber);
  }
  return Ok({
    manifestPath: options.manifestPath,
    manifestLength: options.manifestLength,
    partitionSpecId: options.spec["spec-id"],
    content: options.content,
    sequenceNumber: options.sequenceNumber,
    minSequenceNumber: Number.isFinite(minSequence) ? minSequence : options.sequenceNumber,
    addedSnapshotId: options.addedSnapshotId,
    addedFilesCount: files[EntryStatus.ADDED] as number,
    existingFilesCount: files[EntryStatus.EXISTING] as number,
    deletedFilesCount: files[EntryStatus.DELETED] as number,
    addedRowsCount: rows[EntryStatus.ADDED] as number,
    existingRowsCount: rows[EntryStatus.EXISTING] as number,
    deletedRowsCount: rows[EntryStatus.DELETED] as number,
    partitions: fields.value.map((f) => fieldSummary(f, options.entries)),
  });
}
