/**
 * @module iceberg/content-file
 * The records of manifests and manifest lists as TypeScript values: data and delete files
 * (`data_file`), manifest entries (`manifest_entry`) and manifest list entries
 * (`manifest_file`), spec "Manifests" and "Manifest Lists", format version 2. Names are
 * camelCase here; the Avro field names and ids are in `manifest-schema`.
 */

/** `data_file.content`: what a file holds. */
export const FileContent = {
  DATA: 0,
  POSITION_DELETES: 1,
  EQUALITY_DELETES: 2,
} as const;
/** A `data_file.content` value: 0 data, 1 position deletes, 2 equality deletes. */
export type FileContent = (typeof FileContent)[keyof typeof FileContent];

/** `manifest_entry.status`: how an entry changed in the snapshot that wrote the manifest. */
export const EntryStatus = { EXISTING: 0, ADDED: 1, DELETED: 2 } as const;
/** A `manifest_entry.status` value: 0 existing, 1 added, 2 deleted. */
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

/** `manifest_file.content`: what the files a manifest tracks hold. */
export const ManifestContent = { DATA: 0, DELETES: 1 } as const;
/** A `manifest_file.content` value: 0 data files, 1 delete files. */
export type ManifestContent = (typeof ManifestContent)[keyof typeof ManifestContent];

/**
 * One value of a partition tuple: `int`, `long`, `date`, `time` and timestamps as numbers
 * (safe integers), `float`/`double` as numbers, strings, booleans, `binary` as bytes; `null`
 * for a null partition value.
 */
export type PartitionValue = string | number | boolean | Uint8Array | null;

/** A data file or delete file as a manifest records it (`data_file`). */
export interface DataFile {
  readonly content: FileContent;
  /** Full URI of the file (`s3://…`, `file:///…`). */
  readonly filePath: string;
  /** `PARQUET`, `AVRO`, `ORC` or `PUFFIN`; LakeSync writes `PARQUET`. */
  readonly fileFormat: string;
  /** The partition tuple, keyed by partition field name (empty when unpartitioned). */
  readonly partition: Readonly<Record<string, PartitionValue>>;
  readonly recordCount: number;
  readonly fileSizeInBytes: number;
  /** Field id → bytes on disk of the column. */
  readonly columnSizes?: ReadonlyMap<number, number>;
  /** Field id → number of values, nulls and NaNs included. */
  readonly valueCounts?: ReadonlyMap<number, number>;
  /** Field id → number of null values. */
  readonly nullValueCounts?: ReadonlyMap<number, number>;
  /** Field id → number of NaN values. */
  readonly nanValueCounts?: ReadonlyMap<number, number>;
  /** Field id → lower bound in the spec's binary single-value serialisation. */
  readonly lowerBounds?: ReadonlyMap<number, Uint8Array>;
  /** Field id → upper bound in the spec's binary single-value serialisation. */
  readonly upperBounds?: ReadonlyMap<number, Uint8Array>;
  readonly keyMetadata?: Uint8Array;
  /** Row group offsets, ascending. */
  readonly splitOffsets?: readonly number[];
  /** For equality delete files: the field ids a row is matched on. */
  readonly equalityIds?: readonly number[];
  readonly sortOrderId?: number;
  /** For position deletes that all target one data file. */
  readonly referencedDataFile?: string;
}

/**
 * One entry of a manifest. `null` numbers are inherited when read (spec "Sequence Number
 * Inheritance"): the snapshot id always, the sequence numbers only for ADDED entries, from the
 * manifest's entry in the manifest list. EXISTING and DELETED entries carry both numbers.
 */
export interface ManifestEntry {
  readonly status: EntryStatus;
  readonly snapshotId: number | null;
  /** The data sequence number; null means "inherit" (ADDED entries only). */
  readonly sequenceNumber: number | null;
  /** The file sequence number; null means "inherit" (ADDED entries only). */
  readonly fileSequenceNumber: number | null;
  readonly dataFile: DataFile;
}

/** Per partition field, a summary of the values in one manifest (`field_summary`). */
export interface FieldSummary {
  readonly containsNull: boolean;
  readonly containsNan?: boolean;
  readonly lowerBound?: Uint8Array;
  readonly upperBound?: Uint8Array;
}

/** One manifest as a manifest list records it (`manifest_file`). */
export interface ManifestFile {
  readonly manifestPath: string;
  readonly manifestLength: number;
  readonly partitionSpecId: number;
  readonly content: ManifestContent;
  /** The sequence number of the snapshot that added the manifest. */
  readonly sequenceNumber: number;
  /** The lowest data sequence number of the manifest's live files. */
  readonly minSequenceNumber: number;
  readonly addedSnapshotId: number;
  readonly addedFilesCount: number;
  readonly existingFilesCount: number;
  readonly deletedFilesCount: number;
  readonly addedRowsCount: number;
  readonly existingRowsCount: number;
  readonly deletedRowsCount: number;
  readonly partitions?: readonly FieldSummary[];
  readonly keyMetadata?: Uint8Array;
}
