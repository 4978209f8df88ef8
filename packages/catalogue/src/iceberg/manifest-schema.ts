/**
 * @module iceberg/manifest-schema
 * The Avro schemas of v2 manifests (`manifest_entry` with `data_file`) and manifest lists
 * (`manifest_file`), with the spec's field names, field ids, record names (`r2`, `r102`,
 * `k117_v118`, `r508`, as the reference implementation writes them) and element ids. Optional
 * fields are `["null", T]` unions defaulting to null; int-keyed maps are arrays of key/value
 * records with the `map` logical type (spec Appendix A).
 */
import type { TypedPartitionField } from "./partition.js";
import type { IcebergPrimitive } from "./types.js";

type AvroSchema = string | Readonly<Record<string, unknown>> | readonly unknown[];

const optional = (name: string, type: AvroSchema, fieldId: number) => ({
  name,
  type: ["null", type],
  default: null,
  "field-id": fieldId,
});
const required = (name: string, type: AvroSchema, fieldId: number) => ({
  name,
  type,
  "field-id": fieldId,
});

const intMap = (name: string, fieldId: number, keyId: number, valueId: number, value: AvroSchema) =>
  optional(
    name,
    {
      type: "array",
      logicalType: "map",
      items: {
        type: "record",
        name: `k${keyId}_v${valueId}`,
        fields: [required("key", "int", keyId), required("value", value, valueId)],
      },
    },
    fieldId,
  );

const list = (name: string, fieldId: number, elementId: number, items: AvroSchema) =>
  optional(name, { type: "array", items, "element-id": elementId }, fieldId);

/** The Avro type of a partition value of an Iceberg primitive type, or `undefined` if unsupported. */
export function partitionAvroType(type: IcebergPrimitive): AvroSchema | undefined {
  switch (type) {
    case "boolean":
    case "int":
    case "long":
    case "float":
    case "double":
    case "string":
      return type;
    case "binary":
      return "bytes";
    case "date":
      return { type: "int", logicalType: "date" };
    case "time":
      return { type: "long", logicalType: "time-micros" };
    case "timestamp":
    case "timestamptz":
      return {
        type: "long",
        logicalType: "timestamp-micros",
        "adjust-to-utc": type === "timestamptz",
      };
    default:
      return undefined;
  }
}

/** The `data_file` record of a v2 manifest for a partition struct of `partition` fields. */
function dataFileSchema(partition: readonly TypedPartitionField[]) {
  return {
    type: "record",
    name: "r2",
    fields: [
      required("content", "int", 134),
      required("file_path", "string", 100),
      required("file_format", "string", 101),
      required(
        "partition",
        {
          type: "record",
          name: "r102",
          fields: partition.map((p) =>
            optional(p.avroName, partitionAvroType(p.type) ?? "null", p.field["field-id"]),
          ),
        },
        102,
      ),
      required("record_count", "long", 103),
      required("file_size_in_bytes", "long", 104),
      intMap("column_sizes", 108, 117, 118, "long"),
      intMap("value_counts", 109, 119, 120, "long"),
      intMap("null_value_counts", 110, 121, 122, "long"),
      intMap("nan_value_counts", 137, 138, 139, "long"),
      intMap("lower_bounds", 125, 126, 127, "bytes"),
      intMap("upper_bounds", 128, 129, 130, "bytes"),
      optional("key_metadata", "bytes", 131),
      list("split_offsets", 132, 133, "long"),
      list("equality_ids", 135, 136, "int"),
      optional("sort_order_id", "int", 140),
      optional("referenced_data_file", "string", 143),
    ],
  };
}

/** The Avro schema of a v2 manifest (`manifest_entry`) for the given partition struct. */
export function manifestEntrySchema(partition: readonly TypedPartitionField[]) {
  return {
    type: "record",
    name: "manifest_entry",
    fields: [
      required("status", "int", 0),
      optional("snapshot_id", "long", 1),
      optional("sequence_number", "long", 3),
      optional("file_sequence_number", "long", 4),
      required("data_file", dataFileSchema(partition), 2),
    ],
  };
}

/** The Avro schema of a v2 manifest list (`manifest_file`). */
export const MANIFEST_FILE_SCHEMA = {
  type: "record",
  name: "manifest_file",
  fields: [
    required("manifest_path", "string", 500),
    required("manifest_length", "long", 501),
    required("partition_spec_id", "int", 502),
    required("content", "int", 517),
    required("sequence_number", "long", 515),
    required("min_sequence_number", "long", 516),
    required("added_snapshot_id", "long", 503),
    required("added_files_count", "int", 504),
    required("existing_files_count", "int", 505),
    required("deleted_files_count", "int", 506),
    required("added_rows_count", "long", 512),
    required("existing_rows_count", "long", 513),
    required("deleted_rows_count", "long", 514),
    list("partitions", 507, 508, {
      type: "record",
      name: "r508",
      fields: [
        required("contains_null", "boolean", 509),
        optional("contains_nan", "boolean", 518),
        optional("lower_bound", "bytes", 510),
        optional("upper_bound", "bytes", 511),
      ],
    }),
    optional("key_metadata", "bytes", 519),
  ],
} as const;
