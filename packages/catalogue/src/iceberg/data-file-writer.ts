/**
 * @module iceberg/data-file-writer
 * Writing one Parquet data file or equality-delete file from rows, with Iceberg field ids on its
 * columns, and describing it as a {@link DataFile} for a manifest: partition tuple, record count,
 * size, and per-column value, null and NaN counts and lower/upper bounds (`column-metrics`).
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  type IcebergColumn,
  type IcebergColumnType,
  type ParquetWriteOptions,
  writeIcebergParquet,
} from "@lakesync/parquet";
import { CatalogueError } from "../errors.js";
import { ColumnMetrics } from "./column-metrics.js";
import { type DataFile, FileContent, type PartitionValue } from "./content-file.js";
import { UNPARTITIONED_SPEC } from "./metadata.js";
import { partitionFields, partitionKey, partitionOf } from "./partition.js";
import type { IcebergField, IcebergSchema, PartitionSpec } from "./types.js";

/** What {@link writeDataFile} writes. */
export interface DataFileWriteOptions {
  readonly schema: IcebergSchema;
  /** The partition spec the file belongs to; unpartitioned by default. */
  readonly spec?: PartitionSpec;
  /** The rows, column name → value (see `IcebergColumn` of `@lakesync/parquet` for value types). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** The URI the file will be stored at (it goes into the manifest). */
  readonly filePath: string;
  /** `data` (default) or `equality-deletes`. */
  readonly content?: "data" | "equality-deletes";
  /**
   * For equality deletes: the field ids rows are matched on; the file holds only these columns.
   * Defaults to the schema's identifier fields.
   */
  readonly equalityFieldIds?: readonly number[];
  /**
   * The partition tuple, when it cannot be computed from the rows (delete files without the
   * source column) or is known already (the rows were grouped by it); then it is not recomputed.
   */
  readonly partition?: Readonly<Record<string, PartitionValue>>;
  readonly sortOrderId?: number;
  readonly parquet?: ParquetWriteOptions;
}

/** A written file: its bytes (to store at `dataFile.filePath`) and its manifest description. */
export interface WrittenDataFile {
  readonly bytes: Uint8Array;
  readonly dataFile: DataFile;
}

const COLUMN_TYPES = new Set<string>([
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "string",
  "binary",
  "date",
  "time",
  "timestamp",
  "timestamptz",
]);
/**
 * The columns a file of `options` holds: every field of the schema, or the equality fields of a
 * delete file. `Err(CatalogueError)` (`INVALID_INPUT`) for a type data files cannot hold yet.
 */
export function columnsOf(
  options: Pick<DataFileWriteOptions, "schema" | "content" | "equalityFieldIds">,
): Result<IcebergField[], CatalogueError> {
  const { schema } = options;
  let fields: IcebergField[] = [...schema.fields];
  if (options.content === "equality-deletes") {
    const ids = options.equalityFieldIds ?? schema["identifier-field-ids"] ?? [];
    if (ids.length === 0)
      return Err(
        new CatalogueError("INVALID_INPUT", "an equality delete file needs equality field ids"),
      );
    const picked = ids.map((id) => schema.fields.find((f) => f.id === id));
    if (picked.some((f) => f === undefined))
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `equality field ids ${ids.join(", ")} are not all top-level columns`,
        ),
      );
    fields = picked as IcebergField[];
  }
  for (const field of fields)
    if (typeof field.type !== "string" || !COLUMN_TYPES.has(field.type))
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `column "${field.name}" has type ${JSON.stringify(field.type)}, which data files cannot hold yet`,
        ),
      );
  return Ok(fields);
}

function partitionFor(
  options: DataFileWriteOptions,
  spec: PartitionSpec,
): Result<Record<string, PartitionValue>, CatalogueError> {
  if (options.partition) return Ok({ ...options.partition });
  const fields = partitionFields(spec, options.schema);
  if (!fields.ok) return fields;
  let tuple: Record<string, PartitionValue> = {};
  let key: string | undefined;
  for (const row of options.rows) {
    const of = partitionOf(fields.value, row);
    if (!of.ok) return of;
    const k = partitionKey(of.value);
    if (key !== undefined && k !== key)
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          "the rows span more than one partition: group them by partitionOf first",
        ),
      );
    key = k;
    tuple = of.value;
  }
  if (key === undefined) for (const f of fields.value) tuple[f.field.name] = null;
  return Ok(tuple);
}

/**
 * Writes `rows` as one Parquet file and describes it. Returns `Err(CatalogueError)`
 * (`INVALID_INPUT`) for rows that span partitions, column types data files cannot hold yet
 * (nested, uuid, fixed, decimal) or a delete file without equality ids; the Parquet writer's
 * `SchemaError` for values that do not fit their column (a null in a required column, a
 * non-integer `long`…); `FlushError` when Parquet is not initialised.
 */
export function writeDataFile(
  options: DataFileWriteOptions,
): Result<WrittenDataFile, LakeSyncError> {
  const spec = options.spec ?? UNPARTITIONED_SPEC;
  const fields = columnsOf(options);
  if (!fields.ok) return fields;
  const partition = partitionFor(options, spec);
  if (!partition.ok) return partition;
  const n = options.rows.length;
  const columns: IcebergColumn[] = fields.value.map((field) => ({
    name: field.name,
    fieldId: field.id,
    type: field.type as IcebergColumnType,
    required: field.required,
    values: options.rows.map((row) =>
      Object.hasOwn(row, field.name) ? (row[field.name] ?? null) : null,
    ),
  }));
  const bytes = writeIcebergParquet(columns, n, options.parquet);
  if (!bytes.ok) return bytes;
  const metrics = new ColumnMetrics(columns);
  metrics.add(columns, n);
  const isDelete = options.content === "equality-deletes";
  return Ok({
    bytes: bytes.value,
    dataFile: {
      content: isDelete ? FileContent.EQUALITY_DELETES : FileContent.DATA,
      filePath: options.filePath,
      fileFormat: "PARQUET",
      partition: partition.value,
      recordCount: n,
      fileSizeInBytes: bytes.value.length,
      ...metrics.metrics(),
      ...(isDelete ? { equalityIds: fields.value.map((f) => f.id) } : {}),
      ...(options.sortOrderId === undefined ? {} : { sortOrderId: options.sortOrderId }),
    },
  });
}
