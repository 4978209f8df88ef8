/**
 * @module catalogue/updates
 * The requirements and updates of a table commit, shaped as the Iceberg REST catalogue's
 * `CommitTableRequest` (OpenAPI `TableRequirement`, `TableUpdate`). Every catalogue takes the
 * same commit: a REST catalogue sends it, the SQL catalogue applies it itself.
 */
import type {
  IcebergSchema,
  PartitionSpec,
  Snapshot,
  SnapshotRef,
  SortOrder,
} from "../iceberg/types.js";

/** A condition the table must meet for a commit to apply; otherwise the commit is a conflict. */
export type TableRequirement =
  | { readonly type: "assert-create" }
  | { readonly type: "assert-table-uuid"; readonly uuid: string }
  | {
      readonly type: "assert-ref-snapshot-id";
      readonly ref: string;
      /** `null`: the ref must not exist yet. */
      readonly "snapshot-id": number | null;
    }
  | { readonly type: "assert-last-assigned-field-id"; readonly "last-assigned-field-id": number }
  | { readonly type: "assert-current-schema-id"; readonly "current-schema-id": number }
  | {
      readonly type: "assert-last-assigned-partition-id";
      readonly "last-assigned-partition-id": number;
    }
  | { readonly type: "assert-default-spec-id"; readonly "default-spec-id": number }
  | { readonly type: "assert-default-sort-order-id"; readonly "default-sort-order-id": number };

/** One change to a table's metadata. */
export type TableUpdate =
  | { readonly action: "assign-uuid"; readonly uuid: string }
  | { readonly action: "upgrade-format-version"; readonly "format-version": number }
  | {
      readonly action: "add-schema";
      readonly schema: IcebergSchema;
      readonly "last-column-id"?: number;
    }
  /** `-1` selects the schema added last in the same commit. */
  | { readonly action: "set-current-schema"; readonly "schema-id": number }
  | { readonly action: "add-spec"; readonly spec: PartitionSpec }
  | { readonly action: "set-default-spec"; readonly "spec-id": number }
  | { readonly action: "add-sort-order"; readonly "sort-order": SortOrder }
  | { readonly action: "set-default-sort-order"; readonly "sort-order-id": number }
  | { readonly action: "add-snapshot"; readonly snapshot: Snapshot }
  | ({ readonly action: "set-snapshot-ref"; readonly "ref-name": string } & SnapshotRef)
  | { readonly action: "remove-snapshots"; readonly "snapshot-ids": readonly number[] }
  | { readonly action: "remove-snapshot-ref"; readonly "ref-name": string }
  | { readonly action: "set-location"; readonly location: string }
  | { readonly action: "set-properties"; readonly updates: Readonly<Record<string, string>> }
  | { readonly action: "remove-properties"; readonly removals: readonly string[] };
