import fc from "fast-check";
import { highestFieldId } from "../schema-json.js";
import type {
  IcebergField,
  IcebergSchema,
  IcebergType,
  PartitionSpec,
  Snapshot,
  SnapshotRef,
  TableMetadata,
} from "../types.js";

const primitive = fc.constantFrom<IcebergType>(
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "string",
  "uuid",
  "binary",
  "decimal(9, 2)",
  "fixed[16]",
);
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const text = fc.string({ maxLength: 12 });
const safeId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });

/** A field list with unique names and ids 1…; some fields are lists of primitives. */
function fieldsArbitrary(): fc.Arbitrary<IcebergField[]> {
  return fc
    .uniqueArray(
      fc.record({
        name,
        required: fc.boolean(),
        type: primitive,
        list: fc.boolean(),
        doc: fc.option(text, { nil: undefined }),
      }),
      { minLength: 1, maxLength: 6, selector: (f) => f.name },
    )
    .map((specs) => {
      let id = 0;
      return specs.map((s) => {
        const fieldId = ++id;
        const type: IcebergType = s.list
          ? {
              type: "list",
              "element-id": 100 + fieldId,
              element: s.type,
              "element-required": s.required,
            }
          : s.type;
        return {
          id: fieldId,
          name: s.name,
          required: s.required,
          type,
          ...(s.doc === undefined ? {} : { doc: s.doc }),
        };
      });
    });
}

/** Valid v2 table metadata, in the normalised form the parser produces. */
export const tableMetadataArbitrary: fc.Arbitrary<TableMetadata> = fc
  .record({
    uuid: fc.uuid(),
    location: fc.webUrl(),
    schemas: fc.array(fieldsArbitrary(), { minLength: 1, maxLength: 3 }),
    bucket: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
    snapshotIds: fc.uniqueArray(safeId, { maxLength: 4 }),
    times: fc.array(time, { minLength: 6, maxLength: 6 }),
    properties: fc.dictionary(name, text, { maxKeys: 3 }),
    summaries: fc.array(fc.dictionary(name, text, { maxKeys: 3 }), { minLength: 4, maxLength: 4 }),
    current: fc.nat(),
    tag: fc.boolean(),
    logs: fc.array(fc.record({ "timestamp-ms": time, "metadata-file": fc.webUrl() }), {
      maxLength: 3,
    }),
  })
  .map((r): TableMetadata => {
    const schemas: IcebergSchema[] = r.schemas.map((fields, i) => ({
      type: "struct",
      "schema-id": i,
      ...(fields[0]?.required && typeof fields[0].type === "string"
        ? { "identifier-field-ids": [1] }
        : {}),
      fields,
    }));
    const spec: PartitionSpec = {
      "spec-id": 0,
      fields:
        r.bucket === undefined
          ? []
          : [
              {
                "source-id": 1,
                "field-id": 1000,
                name: "p_bucket",
                transform: `bucket[${r.bucket}]`,
              },
            ],
    };
    const snapshots: Snapshot[] = r.snapshotIds.map((id, i) => ({
      "snapshot-id": id,
      ...(i > 0 ? { "parent-snapshot-id": r.snapshotIds[i - 1] as number } : {}),
      "sequence-number": i + 1,
      "timestamp-ms": r.times[i] as number,
      "manifest-list": `${r.location}/metadata/snap-${id}.avro`,
      summary: { ...r.summaries[i], operation: "append" },
      ...(i % 2 === 0 ? { "schema-id": 0 } : {}),
    }));
    const currentIndex = snapshots.length === 0 ? -1 : (r.current % (snapshots.length + 1)) - 1;
    const current = currentIndex < 0 ? null : (snapshots[currentIndex]?.["snapshot-id"] ?? null);
    const refs: Record<string, SnapshotRef> = {};
    if (current !== null) refs.main = { "snapshot-id": current, type: "branch" };
    const first = snapshots[0];
    if (r.tag && first)
      refs.v1 = { "snapshot-id": first["snapshot-id"], type: "tag", "max-ref-age-ms": 1000 };
    const lastColumn = Math.max(...schemas.map(highestFieldId));
    return {
      "format-version": 2,
      "table-uuid": r.uuid,
      location: r.location,
      "last-sequence-number": snapshots.length,
      "last-updated-ms": r.times[5] as number,
      "last-column-id": lastColumn,
      schemas,
      "current-schema-id": schemas.length - 1,
      "partition-specs": [spec],
      "default-spec-id": 0,
      "last-partition-id": r.bucket === undefined ? 999 : 1000,
      properties: r.properties,
      "current-snapshot-id": current,
      snapshots,
      "snapshot-log": snapshots.map((s) => ({
        "timestamp-ms": s["timestamp-ms"],
        "snapshot-id": s["snapshot-id"],
      })),
      "metadata-log": r.logs,
      "sort-orders": [{ "order-id": 0, fields: [] }],
      "default-sort-order-id": 0,
      refs,
    };
  });
