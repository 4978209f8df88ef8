/**
 * @module iceberg/manifest-decode
 * Turning decoded Avro records (with whatever schema the writer used) into
 * {@link ManifestEntry} and {@link ManifestFile} values, checking every field on the way, so a
 * manifest from another engine or a damaged one gives a clear error rather than a bad value.
 */
import type {
  DataFile,
  EntryStatus,
  FieldSummary,
  FileContent,
  ManifestContent,
  ManifestEntry,
  ManifestFile,
  PartitionValue,
} from "./content-file.js";
import {
  JsonProblem,
  readBoolean,
  readInteger,
  readList,
  readObject,
  readString,
} from "./json-reader.js";

/** A record as the Avro reader decodes it. */
export type DecodedRecord = Readonly<Record<string, unknown>>;

/** A copy of decoded `bytes` as a plain `Uint8Array`. */
export function bytesOf(value: unknown, path: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new JsonProblem(path, "expected bytes");
  return new Uint8Array(value);
}

const absent = (value: unknown) => value === null || value === undefined;

/** A decoded int-keyed map (an array of `{key, value}` records), or `undefined` when null. */
export function mapOf<V>(
  value: unknown,
  path: string,
  read: (value: unknown, path: string) => V,
): Map<number, V> | undefined {
  if (absent(value)) return undefined;
  const map = new Map<number, V>();
  readList(value, path, (item, p) => {
    const pair = readObject(item, p);
    map.set(readInteger(pair.key, `${p}.key`), read(pair.value, `${p}.value`));
  });
  return map;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function oneOf<T extends number>(value: unknown, path: string, allowed: readonly T[]): T {
  const n = readInteger(value, path);
  if (!(allowed as readonly number[]).includes(n))
    throw new JsonProblem(path, `unexpected value ${n}`);
  return n as T;
}

function partitionValue(value: unknown, path: string): PartitionValue {
  if (absent(value)) return null;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  throw new JsonProblem(path, "unsupported partition value");
}

function dataFileOf(value: unknown, names: ReadonlyMap<string, string>, path: string): DataFile {
  const r = readObject(value, path);
  const partition: Record<string, PartitionValue> = {};
  for (const [key, v] of Object.entries(readObject(r.partition ?? {}, `${path}.partition`)))
    Object.defineProperty(partition, names.get(key) ?? key, {
      value: partitionValue(v, `${path}.partition.${key}`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const count = (v: unknown, p: string) => readInteger(v, p);
  const list = <T>(key: string, read: (v: unknown, p: string) => T) =>
    absent(r[key]) ? undefined : readList(r[key], `${path}.${key}`, read);
  const opt = <T>(key: string, read: (v: unknown, p: string) => T) =>
    absent(r[key]) ? undefined : read(r[key], `${path}.${key}`);
  return {
    content: absent(r.content) ? 0 : oneOf<FileContent>(r.content, `${path}.content`, [0, 1, 2]),
    filePath: readString(r.file_path, `${path}.file_path`),
    fileFormat: readString(r.file_format, `${path}.file_format`),
    partition,
    recordCount: readInteger(r.record_count, `${path}.record_count`),
    fileSizeInBytes: readInteger(r.file_size_in_bytes, `${path}.file_size_in_bytes`),
    ...optional("columnSizes", mapOf(r.column_sizes, `${path}.column_sizes`, count)),
    ...optional("valueCounts", mapOf(r.value_counts, `${path}.value_counts`, count)),
    ...optional("nullValueCounts", mapOf(r.null_value_counts, `${path}.null_value_counts`, count)),
    ...optional("nanValueCounts", mapOf(r.nan_value_counts, `${path}.nan_value_counts`, count)),
    ...optional("lowerBounds", mapOf(r.lower_bounds, `${path}.lower_bounds`, bytesOf)),
    ...optional("upperBounds", mapOf(r.upper_bounds, `${path}.upper_bounds`, bytesOf)),
    ...optional("keyMetadata", opt("key_metadata", bytesOf)),
    ...optional("splitOffsets", list("split_offsets", readInteger)),
    ...optional("equalityIds", list("equality_ids", readInteger)),
    ...optional("sortOrderId", opt("sort_order_id", readInteger)),
    ...optional("referencedDataFile", opt("referenced_data_file", readString)),
  };
}

const nullableInteger = (value: unknown, path: string) =>
  absent(value) ? null : readInteger(value, path);

/** A decoded `manifest_entry` record as a {@link ManifestEntry}; throws {@link JsonProblem}. */
export function entryOf(
  record: DecodedRecord,
  names: ReadonlyMap<string, string>,
  path: string,
): ManifestEntry {
  const r = readObject(record, path);
  return {
    status: oneOf<EntryStatus>(r.status, `${path}.status`, [0, 1, 2]),
    snapshotId: nullableInteger(r.snapshot_id, `${path}.snapshot_id`),
    sequenceNumber: nullableInteger(r.sequence_number, `${path}.sequence_number`),
    fileSequenceNumber: nullableInteger(r.file_sequence_number, `${path}.file_sequence_number`),
    dataFile: dataFileOf(r.data_file, names, `${path}.data_file`),
  };
}

function summaryOf(value: unknown, path: string): FieldSummary {
  const r = readObject(value, path);
  return {
    containsNull: readBoolean(r.contains_null, `${path}.contains_null`),
    ...optional(
      "containsNan",
      absent(r.contains_nan) ? undefined : readBoolean(r.contains_nan, `${path}.contains_nan`),
    ),
    ...optional(
      "lowerBound",
      absent(r.lower_bound) ? undefined : bytesOf(r.lower_bound, `${path}.lower_bound`),
    ),
    ...optional(
      "upperBound",
      absent(r.upper_bound) ? undefined : bytesOf(r.upper_bound, `${path}.upper_bound`),
    ),
  };
}

/** A decoded `manifest_file` record as a {@link ManifestFile}; throws {@link JsonProblem}. */
export function manifestFileOf(record: DecodedRecord, path: string): ManifestFile {
  const r = readObject(record, path);
  // Older writers spell the file counts `added_data_files_count` and so on.
  const int = (key: string) =>
    readInteger(r[key] ?? r[key.replace("_files_", "_data_files_")], `${path}.${key}`);
  return {
    manifestPath: readString(r.manifest_path, `${path}.manifest_path`),
    manifestLength: int("manifest_length"),
    partitionSpecId: int("partition_spec_id"),
    content: absent(r.content) ? 0 : oneOf<ManifestContent>(r.content, `${path}.content`, [0, 1]),
    sequenceNumber: absent(r.sequence_number) ? 0 : int("sequence_number"),
    minSequenceNumber: absent(r.min_sequence_number) ? 0 : int("min_sequence_number"),
    addedSnapshotId: int("added_snapshot_id"),
    addedFilesCount: int("added_files_count"),
    existingFilesCount: int("existing_files_count"),
    deletedFilesCount: int("deleted_files_count"),
    addedRowsCount: int("added_rows_count"),
    existingRowsCount: int("existing_rows_count"),
    deletedRowsCount: int("deleted_rows_count"),
    ...optional(
      "partitions",
      absent(r.partitions) ? undefined : readList(r.partitions, `${path}.partitions`, summaryOf),
    ),
    ...optional(
      "keyMetadata",
      absent(r.key_metadata) ? undefined : bytesOf(r.key_metadata, `${path}.key_metadata`),
    ),
  };
}
