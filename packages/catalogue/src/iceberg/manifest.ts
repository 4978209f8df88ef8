/**
 * @module iceberg/manifest
 * Writing and reading v2 manifest files: an Avro container of `manifest_entry` records whose
 * key-value metadata holds the table `schema` and `schema-id`, the `partition-spec` (its fields)
 * and `partition-spec-id`, `format-version` 2 and `content` (`data` or `deletes`). Reading uses
 * the writer's schema from the file, so manifests written by other engines read too.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { type AvroCodec, readAvroContainer, writeAvroContainer } from "./avro/avro-container.js";
import {
  type DataFile,
  EntryStatus,
  type ManifestEntry,
  type PartitionValue,
} from "./content-file.js";
import { JsonProblem, readInteger, readList, readObject, readString } from "./json-reader.js";
import { type DecodedRecord, entryOf } from "./manifest-decode.js";
import { manifestEntrySchema } from "./manifest-schema.js";
import { partitionFields, type TypedPartitionField } from "./partition.js";
import { readPartitionSpec, readSchema } from "./schema-json.js";
import type { IcebergSchema, PartitionField, PartitionSpec } from "./types.js";

/** What a manifest holds: data files, or delete files (position or equality). */
export type ManifestContentName = "data" | "deletes";

/** What {@link writeManifest} writes. */
export interface ManifestWriteOptions {
  /** The table schema the files were written with. */
  readonly schema: IcebergSchema;
  /** The partition spec of every file in the manifest. */
  readonly spec: PartitionSpec;
  readonly content: ManifestContentName;
  readonly entries: readonly ManifestEntry[];
  /** Avro block codec; `null` by default. */
  readonly codec?: AvroCodec;
}

/** A manifest as read. */
export interface Manifest {
  readonly content: ManifestContentName;
  readonly formatVersion: number;
  readonly specId: number;
  /** The spec's fields, from the `partition-spec` metadata. */
  readonly partitionFields: readonly PartitionField[];
  /** The table schema from the `schema` metadata, when present and readable. */
  readonly schema?: IcebergSchema;
  readonly entries: ManifestEntry[];
}

const invalid = (message: string, cause?: unknown) =>
  new CatalogueError("INVALID_INPUT", message, cause === undefined ? {} : { cause });

function partitionRecord(
  fields: readonly TypedPartitionField[],
  partition: Readonly<Record<string, PartitionValue>>,
): Record<string, unknown> {
  const names = new Set(fields.map((f) => f.field.name));
  for (const key of Object.keys(partition))
    if (!names.has(key)) throw new Error(`partition has "${key}", which the spec does not`);
  const record: Record<string, unknown> = {};
  for (const f of fields) {
    const value = Object.hasOwn(partition, f.field.name) ? (partition[f.field.name] ?? null) : null;
    record[f.avroName] = value;
  }
  return record;
}

const pairs = <V, W>(map: ReadonlyMap<number, V> | undefined, f: (v: V) => W) =>
  map === undefined ? null : [...map].map(([key, value]) => ({ key, value: f(value) }));

function dataFileRecord(file: DataFile, fields: readonly TypedPartitionField[]) {
  return {
    content: file.content,
    file_path: file.filePath,
    file_format: file.fileFormat,
    partition: partitionRecord(fields, file.partition),
    record_count: file.recordCount,
    file_size_in_bytes: file.fileSizeInBytes,
    column_sizes: pairs(file.columnSizes, (v) => v),
    value_counts: pairs(file.valueCounts, (v) => v),
    null_value_counts: pairs(file.nullValueCounts, (v) => v),
    nan_value_counts: pairs(file.nanValueCounts, (v) => v),
    lower_bounds: pairs(file.lowerBounds, (v) => v),
    upper_bounds: pairs(file.upperBounds, (v) => v),
    key_metadata: file.keyMetadata ?? null,
    split_offsets: file.splitOffsets ?? null,
    equality_ids: file.equalityIds ?? null,
    sort_order_id: file.sortOrderId ?? null,
    referenced_data_file: file.referencedDataFile ?? null,
  };
}

function entryProblem(entry: ManifestEntry, content: ManifestContentName): string | undefined {
  const isData = entry.dataFile.content === 0;
  if (isData !== (content === "data"))
    return `a ${content} manifest cannot hold a file with content ${entry.dataFile.content}`;
  if (entry.dataFile.content === 2 && (entry.dataFile.equalityIds?.length ?? 0) === 0)
    return `equality delete file ${entry.dataFile.filePath} has no equality ids`;
  if (
    entry.status !== EntryStatus.ADDED &&
    (entry.sequenceNumber === null || entry.fileSequenceNumber === null)
  )
    return `existing and deleted entries carry both sequence numbers (${entry.dataFile.filePath})`;
  return undefined;
}

/**
 * Writes a v2 manifest. Returns `Err(CatalogueError)` (`INVALID_INPUT`) when an entry does not
 * fit: a delete file in a data manifest or the reverse, an equality delete without
 * `equalityIds`, an EXISTING or DELETED entry without sequence numbers, a partition tuple that
 * does not match the spec, or a value that does not fit its Avro type.
 */
export async function writeManifest(
  options: ManifestWriteOptions,
): Promise<Result<Uint8Array, CatalogueError>> {
  const fields = partitionFields(options.spec, options.schema);
  if (!fields.ok) return fields;
  let records: unknown[];
  try {
    records = options.entries.map((entry) => {
      const problem = entryProblem(entry, options.content);
      if (problem) throw new Error(problem);
      return {
        status: entry.status,
        snapshot_id: entry.snapshotId,
        sequence_number: entry.sequenceNumber,
        file_sequence_number: entry.fileSequenceNumber,
        data_file: dataFileRecord(entry.dataFile, fields.value),
      };
    });
  } catch (cause) {
    return Err(invalid(`cannot write manifest: ${(cause as Error).message}`, cause));
  }
  return writeAvroContainer(manifestEntrySchema(fields.value), records, {
    codec: options.codec ?? "null",
    metadata: {
      schema: JSON.stringify(options.schema),
      "schema-id": String(options.schema["schema-id"]),
      "partition-spec": JSON.stringify(options.spec.fields),
      "partition-spec-id": String(options.spec["spec-id"]),
      "format-version": "2",
      content: options.content,
    },
  });
}

/** Avro field name → partition field name, from the writer schema's `r102` field ids. */
function partitionNames(avroSchema: unknown, spec: readonly PartitionField[]): Map<string, string> {
  const names = new Map<string, string>();
  const entry = readObject(avroSchema, "avro.schema");
  const dataFile = readList(entry.fields, "fields", readObject).find((f) => f.name === "data_file");
  const record = dataFile && readObject(dataFile.type, "data_file");
  const partition =
    record &&
    readList(record.fields, "data_file.fields", readObject).find((f) => f.name === "partition");
  const struct = partition && readObject(partition.type, "partition");
  for (const field of struct ? readList(struct.fields, "partition.fields", readObject) : []) {
    const avro = readString(field.name, "partition field");
    const byId = spec.find((s) => s["field-id"] === field["field-id"]);
    names.set(avro, byId?.name ?? avro);
  }
  return names;
}

/**
 * Reads a manifest (ours or another engine's v2 manifest). Returns `Err(CatalogueError)`
 * (`INVALID_INPUT`) for bytes that are not an Avro container, missing or malformed manifest
 * metadata, or entries that do not have the manifest shape.
 */
export async function readManifest(bytes: Uint8Array): Promise<Result<Manifest, CatalogueError>> {
  const container = await readAvroContainer(bytes);
  if (!container.ok) return container;
  const { metadata, records, schema } = container.value;
  try {
    const content = metadata.content ?? "data";
    if (content !== "data" && content !== "deletes")
      throw new JsonProblem("content", `unknown manifest content "${content}"`);
    const specFields = readList(
      JSON.parse(metadata["partition-spec"] ?? "[]"),
      "partition-spec",
      (v, p) => readPartitionSpec({ "spec-id": 0, fields: [v] }, p).fields[0] as PartitionField,
    );
    const tableSchema =
      metadata.schema === undefined ? undefined : readSchema(JSON.parse(metadata.schema), "schema");
    const names = partitionNames(schema, specFields);
    const entries = records.map((record, i) =>
      entryOf(record as DecodedRecord, names, `entries[${i}]`),
    );
    return Ok({
      content,
      formatVersion: readInteger(Number(metadata["format-version"] ?? "1"), "format-version"),
      specId: readInteger(Number(metadata["partition-spec-id"] ?? "0"), "partition-spec-id"),
      partitionFields: specFields,
      ...(tableSchema === undefined ? {} : { schema: tableSchema }),
      entries,
    });
  } catch (cause) {
    return Err(invalid(`not a readable Iceberg manifest: ${(cause as Error).message}`, cause));
  }
}
