/**
 * @module iceberg/metadata
 * Table metadata as a value: creating the first metadata of a new v2 table, and finding the
 * current schema, default spec and snapshots in it. Parsing and serialising live in
 * `metadata-json`, requirements in `requirements`, updates in `apply-updates`; they are
 * re-exported here so callers have one place to import the metadata API from.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { bucketCount } from "./bucket-transform.js";
import { serialiseTableMetadata } from "./metadata-json.js";
import { refSnapshotId } from "./requirements.js";
import { highestFieldId } from "./schema-json.js";
import type { IcebergSchema, PartitionSpec, Snapshot, SortOrder, TableMetadata } from "./types.js";

export { type ApplyUpdatesOptions, applyUpdates } from "./apply-updates.js";
export { parseTableMetadata, serialiseTableMetadata } from "./metadata-json.js";
export { checkRequirements, refSnapshotId } from "./requirements.js";

/** The unpartitioned spec (id 0, no fields). */
export const UNPARTITIONED_SPEC: PartitionSpec = { "spec-id": 0, fields: [] };
/** The unsorted order (id 0, no fields). */
export const UNSORTED_ORDER: SortOrder = { "order-id": 0, fields: [] };

/** What a new table's first metadata is made from. */
export interface NewTableMetadata {
  /** The table's base location, a URI such as `s3://bucket/warehouse/ns/table`. */
  readonly location: string;
  /** The schema; its field ids are kept (they must be unique and positive), its id becomes 0. */
  readonly schema: IcebergSchema;
  /** The partition spec (field ids from 1000); its id becomes 0. Unpartitioned by default. */
  readonly partitionSpec?: PartitionSpec;
  /** The write order; unsorted (order 0) by default, otherwise it becomes order 1. */
  readonly sortOrder?: SortOrder;
  readonly properties?: Readonly<Record<string, string>>;
  /** Defaults to `crypto.randomUUID()`. */
  readonly uuid?: string;
  /** Creation time in epoch milliseconds; defaults to `Date.now()`. */
  readonly now?: number;
}

const TRANSFORMS = /^(identity|year|month|day|hour|void|bucket\[\d+\]|truncate\[\d+\])$/;

function specProblem(spec: PartitionSpec, schema: IcebergSchema): string | undefined {
  const ids = new Set<number>();
  const names = new Set(schema.fields.map((f) => f.name));
  for (const field of spec.fields) {
    if (field["field-id"] < 1000)
      return `partition field ids start at 1000, not ${field["field-id"]}`;
    if (ids.has(field["field-id"])) return `partition field id ${field["field-id"]} is used twice`;
    ids.add(field["field-id"]);
    if (!schema.fields.some((f) => f.id === field["source-id"]))
      return `partition field "${field.name}" has no source field ${field["source-id"]}`;
    if (
      !TRANSFORMS.test(field.transform) ||
      (field.transform.startsWith("bucket") && !bucketCount(field.transform))
    )
      return `partition field "${field.name}" has an unknown transform "${field.transform}"`;
    if (names.has(field.name)) return `partition field name "${field.name}" collides with a column`;
    names.add(field.name);
  }
  return undefined;
}

/**
 * The first metadata of a new format-version-2 table: schema 0, spec 0, the given or unsorted
 * sort order, no snapshots, empty logs and refs. Returns `Err(CatalogueError)`
 * (`INVALID_INPUT`) for a schema with duplicate or non-positive field ids, a spec whose fields
 * do not resolve, or an empty location.
 */
export function createTableMetadata(
  options: NewTableMetadata,
): Result<TableMetadata, CatalogueError> {
  const location = options.location.replace(/\/+$/, "");
  if (location === "") return Err(new CatalogueError("INVALID_INPUT", "a table needs a location"));
  const schema: IcebergSchema = { ...options.schema, "schema-id": 0 };
  const spec: PartitionSpec = { ...(options.partitionSpec ?? UNPARTITIONED_SPEC), "spec-id": 0 };
  const problem = specProblem(spec, schema);
  if (problem) return Err(new CatalogueError("INVALID_INPUT", problem));
  const given = options.sortOrder;
  const order: SortOrder =
    given && given.fields.length > 0
      ? { ...given, "order-id": Math.max(1, given["order-id"]) }
      : UNSORTED_ORDER;
  const now = options.now ?? Date.now();
  const metadata: TableMetadata = {
    "format-version": 2,
    "table-uuid": options.uuid ?? crypto.randomUUID(),
    location,
    "last-sequence-number": 0,
    "last-updated-ms": now,
    "last-column-id": highestFieldId(schema),
    schemas: [schema],
    "current-schema-id": 0,
    "partition-specs": [spec],
    "default-spec-id": 0,
    "last-partition-id": spec.fields.reduce((a, f) => Math.max(a, f["field-id"]), 999),
    properties: { ...(options.properties ?? {}) },
    "current-snapshot-id": null,
    snapshots: [],
    "snapshot-log": [],
    "metadata-log": [],
    "sort-orders": [order],
    "default-sort-order-id": order["order-id"],
    refs: {},
  };
  // Validates the schema and everything else exactly as a reader will.
  const checked = serialiseTableMetadata(metadata);
  return checked.ok ? Ok(metadata) : checked;
}

/** The table's current schema. */
export function currentSchema(metadata: TableMetadata): IcebergSchema {
  const found = metadata.schemas.find((s) => s["schema-id"] === metadata["current-schema-id"]);
  // Parsed metadata always has it; a hand-built value without it falls back to the last schema.
  return found ?? (metadata.schemas[metadata.schemas.length - 1] as IcebergSchema);
}

/** The partition spec writers use by default. */
export function defaultSpec(metadata: TableMetadata): PartitionSpec {
  return (
    metadata["partition-specs"].find((s) => s["spec-id"] === metadata["default-spec-id"]) ??
    UNPARTITIONED_SPEC
  );
}

/** The partition spec with id `specId`, if the table has it. */
export function specById(metadata: TableMetadata, specId: number): PartitionSpec | undefined {
  return metadata["partition-specs"].find((s) => s["spec-id"] === specId);
}

/** The snapshot with id `snapshotId`, if the table still has it. */
export function snapshotById(metadata: TableMetadata, snapshotId: number): Snapshot | undefined {
  return metadata.snapshots?.find((s) => s["snapshot-id"] === snapshotId);
}

/** The snapshot at the head of the `main` branch, or `undefined` for a table without one. */
export function currentSnapshot(metadata: TableMetadata): Snapshot | undefined {
  const id = refSnapshotId(metadata, "main");
  return id === null ? undefined : snapshotById(metadata, id);
}

/**
 * The snapshot that was current at `timestampMs` according to the snapshot log (spec
 * "Point in Time Reads"): the last log entry at or before that time. `undefined` when the log
 * has no entry that early.
 */
export function snapshotAsOf(metadata: TableMetadata, timestampMs: number): Snapshot | undefined {
  let found: number | undefined;
  for (const entry of metadata["snapshot-log"] ?? [])
    if (entry["timestamp-ms"] <= timestampMs) found = entry["snapshot-id"];
  return found === undefined ? undefined : snapshotById(metadata, found);
}
