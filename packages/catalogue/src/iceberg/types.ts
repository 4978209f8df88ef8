/**
 * @module iceberg/types
 * The Apache Iceberg v2 table metadata, as its JSON is written (spec "Table Metadata"), and the
 * schema, partition-spec and snapshot shapes it holds. Field names follow the spec's JSON
 * exactly (kebab-case), so a document read from any engine fits these types.
 *
 * Snapshot ids are int64 in the spec; they are `number` here. LakeSync generates ids below
 * 2^53; ids written by other engines are parsed exactly when they fit a double and rejected
 * when they do not (see `parseTableMetadata`).
 */

/** An Iceberg primitive type name (`decimal(P,S)` and `fixed[L]` are spelt as in the spec). */
export type IcebergPrimitive =
  | "boolean"
  | "int"
  | "long"
  | "float"
  | "double"
  | "date"
  | "time"
  | "timestamp"
  | "timestamptz"
  | "string"
  | "uuid"
  | "binary"
  | `decimal(${number}, ${number})`
  | `fixed[${number}]`;

/** A nested struct type. */
export interface IcebergStruct {
  readonly type: "struct";
  readonly fields: readonly IcebergField[];
}

/** A list type. */
export interface IcebergList {
  readonly type: "list";
  readonly "element-id": number;
  readonly element: IcebergType;
  readonly "element-required": boolean;
}

/** A map type. */
export interface IcebergMap {
  readonly type: "map";
  readonly "key-id": number;
  readonly key: IcebergType;
  readonly "value-id": number;
  readonly value: IcebergType;
  readonly "value-required": boolean;
}

/** Any Iceberg type. */
export type IcebergType = IcebergPrimitive | IcebergStruct | IcebergList | IcebergMap;

/** One field of a struct: ids are assigned once per table and never reused. */
export interface IcebergField {
  readonly id: number;
  readonly name: string;
  readonly required: boolean;
  readonly type: IcebergType;
  readonly doc?: string;
}

/** A table schema: a struct with an id and the ids of its identifier fields. */
export interface IcebergSchema {
  readonly type: "struct";
  readonly "schema-id": number;
  readonly "identifier-field-ids"?: readonly number[];
  readonly fields: readonly IcebergField[];
}

/** One field of a partition spec, e.g. `bucket[16]` of `row_id`. */
export interface PartitionField {
  readonly "source-id": number;
  readonly "field-id": number;
  readonly name: string;
  /** `identity`, `bucket[N]`, `truncate[W]`, `year`, `month`, `day`, `hour`, `void`. */
  readonly transform: string;
}

/** A partition spec. Partition field ids start at 1000. */
export interface PartitionSpec {
  readonly "spec-id": number;
  readonly fields: readonly PartitionField[];
}

/** One field of a sort order. */
export interface SortField {
  readonly "source-id": number;
  readonly transform: string;
  readonly direction: "asc" | "desc";
  readonly "null-order": "nulls-first" | "nulls-last";
}

/** A sort order; order 0 is the unsorted order. */
export interface SortOrder {
  readonly "order-id": number;
  readonly fields: readonly SortField[];
}

/**
 * A snapshot: the table's state after one commit. `summary.operation` is `append`, `replace`,
 * `overwrite` or `delete`; LakeSync adds its own `lakesync.*` keys (gateway id, log range).
 */
export interface Snapshot {
  readonly "snapshot-id": number;
  readonly "parent-snapshot-id"?: number;
  readonly "sequence-number": number;
  readonly "timestamp-ms": number;
  readonly "manifest-list": string;
  readonly summary: Readonly<Record<string, string>> & { readonly operation: string };
  readonly "schema-id"?: number;
}

/** A named reference to a snapshot (`main` is the table's current state). */
export interface SnapshotRef {
  readonly "snapshot-id": number;
  readonly type: "branch" | "tag";
  readonly "max-ref-age-ms"?: number;
  readonly "max-snapshot-age-ms"?: number;
  readonly "min-snapshots-to-keep"?: number;
}

/** One entry of the snapshot log. */
export interface SnapshotLogEntry {
  readonly "timestamp-ms": number;
  readonly "snapshot-id": number;
}

/** One entry of the metadata log (earlier metadata files). */
export interface MetadataLogEntry {
  readonly "timestamp-ms": number;
  readonly "metadata-file": string;
}

/** Iceberg v2 table metadata. */
export interface TableMetadata {
  readonly "format-version": 2;
  readonly "table-uuid": string;
  readonly location: string;
  readonly "last-sequence-number": number;
  readonly "last-updated-ms": number;
  readonly "last-column-id": number;
  readonly schemas: readonly IcebergSchema[];
  readonly "current-schema-id": number;
  readonly "partition-specs": readonly PartitionSpec[];
  readonly "default-spec-id": number;
  readonly "last-partition-id": number;
  readonly properties?: Readonly<Record<string, string>>;
  readonly "current-snapshot-id"?: number | null;
  readonly snapshots?: readonly Snapshot[];
  readonly "snapshot-log"?: readonly SnapshotLogEntry[];
  readonly "metadata-log"?: readonly MetadataLogEntry[];
  readonly "sort-orders": readonly SortOrder[];
  readonly "default-sort-order-id": number;
  readonly refs?: Readonly<Record<string, SnapshotRef>>;
  /** Table statistics files (Puffin) written by other engines; kept as read, each with a `snapshot-id`. */
  readonly statistics?: readonly Readonly<Record<string, unknown>>[];
  /** Partition statistics files written by other engines; kept as read, each with a `snapshot-id`. */
  readonly "partition-statistics"?: readonly Readonly<Record<string, unknown>>[];
}
