/**
 * @module rest/wire
 * The JSON bodies of the Iceberg REST catalogue API that LakeSync sends and serves, named as in
 * the OpenAPI document (`rest-catalog-open-api.yaml`, component schemas), and the one place where
 * table metadata is adapted for the wire.
 */
import type { TableMetadata } from "../iceberg/types.js";

/** `CatalogConfig`: server defaults and overrides, and the endpoints the server implements. */
export interface CatalogConfigBody {
  readonly defaults: Readonly<Record<string, string>>;
  readonly overrides: Readonly<Record<string, string>>;
  readonly endpoints?: readonly string[];
}

/** `ErrorModel`. */
export interface ErrorModelBody {
  readonly message: string;
  readonly type: string;
  readonly code: number;
}

/** `IcebergErrorResponse`: the body of every non-2xx response. */
export interface IcebergErrorBody {
  readonly error: ErrorModelBody;
}

/** `ListNamespacesResponse`. */
export interface ListNamespacesBody {
  readonly namespaces: readonly (readonly string[])[];
  readonly "next-page-token"?: string | null;
}

/** `ListTablesResponse`. */
export interface ListTablesBody {
  readonly identifiers: readonly { readonly namespace: readonly string[]; readonly name: string }[];
  readonly "next-page-token"?: string | null;
}

/** `CreateNamespaceResponse` and `GetNamespaceResponse`. */
export interface NamespaceBody {
  readonly namespace: readonly string[];
  readonly properties: Readonly<Record<string, string>> | null;
}

/** Table metadata as it travels: `current-snapshot-id` is `-1` rather than `null` (see {@link toWireMetadata}). */
export type WireTableMetadata = Omit<TableMetadata, "current-snapshot-id"> & {
  readonly "current-snapshot-id": number;
};

/** `LoadTableResult` (also the body of `CreateTableResponse`). */
export interface LoadTableResultBody {
  readonly "metadata-location": string;
  readonly metadata: WireTableMetadata;
  readonly config: Readonly<Record<string, string>>;
}

/** `CommitTableResponse`. */
export interface CommitTableResponseBody {
  readonly "metadata-location": string;
  readonly metadata: WireTableMetadata;
}

/**
 * Table metadata for a REST response. The OpenAPI document types `current-snapshot-id` as a
 * plain integer, so a table without snapshots says `-1` (as Iceberg's Java writer does) instead
 * of `null`; `parseTableMetadata` reads `-1` back as `null`.
 */
export function toWireMetadata(metadata: TableMetadata): WireTableMetadata {
  return { ...metadata, "current-snapshot-id": metadata["current-snapshot-id"] ?? -1 };
}

/** An `IcebergErrorResponse` body. */
export function icebergErrorBody(code: number, type: string, message: string): IcebergErrorBody {
  return { error: { message, type, code } };
}
