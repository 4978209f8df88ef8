/**
 * @module catalogue/catalogue
 * The one interface every Iceberg catalogue implements: the SQL catalogue (SQLite, PostgreSQL;
 * the schema of Iceberg's JdbcCatalog and PyIceberg's SqlCatalog) and the REST catalogue client
 * (Nessie, Polaris, Lakekeeper, R2 Data Catalog, and LakeSync's own `/iceberg` routes).
 */
import type { LakeSyncError, Result } from "@lakesync/core";
import type { IcebergSchema, PartitionSpec, SortOrder, TableMetadata } from "../iceberg/types.js";
import type { TableRequirement, TableUpdate } from "./updates.js";

/** A namespace is a list of levels (`["analytics", "eu"]`); LakeSync uses one level. */
export type Namespace = readonly string[];

/** A table's name within its namespace. */
export interface TableIdentifier {
  readonly namespace: Namespace;
  readonly name: string;
}

/** A table as loaded from a catalogue: its metadata and where that metadata file lives. */
export interface LoadedTable {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
}

/** What creating a table needs; the catalogue assigns the uuid and writes the first metadata. */
export interface CreateTableRequest {
  readonly name: string;
  readonly schema: IcebergSchema;
  readonly partitionSpec?: PartitionSpec;
  readonly writeOrder?: SortOrder;
  /** Defaults to the catalogue's warehouse location plus `namespace/name`. */
  readonly location?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

/**
 * An Iceberg catalogue. Every method returns a `Result` and never throws. Error codes a caller
 * switches on (see `CatalogueError`): `NO_SUCH_NAMESPACE`, `NO_SUCH_TABLE`, `ALREADY_EXISTS`,
 * `COMMIT_CONFLICT` (a requirement failed or another writer won the compare-and-swap: reload
 * and retry), `COMMIT_STATE_UNKNOWN` (the outcome of a commit is not known: reload and check
 * before retrying), `CATALOGUE_UNAVAILABLE` and `INVALID_INPUT`.
 */
export interface Catalogue {
  /** A short name for messages (`sql:sqlite`, `rest:https://…`). */
  readonly name: string;
  listNamespaces(parent?: Namespace): Promise<Result<Namespace[], LakeSyncError>>;
  /** Creates a namespace; `ALREADY_EXISTS` if it exists. */
  createNamespace(
    namespace: Namespace,
    properties?: Readonly<Record<string, string>>,
  ): Promise<Result<void, LakeSyncError>>;
  /** The namespace's properties; `NO_SUCH_NAMESPACE` if it does not exist. */
  loadNamespace(namespace: Namespace): Promise<Result<Record<string, string>, LakeSyncError>>;
  dropNamespace(namespace: Namespace): Promise<Result<void, LakeSyncError>>;
  listTables(namespace: Namespace): Promise<Result<TableIdentifier[], LakeSyncError>>;
  /** Creates a table with its first metadata file; `ALREADY_EXISTS` if it exists. */
  createTable(
    namespace: Namespace,
    request: CreateTableRequest,
  ): Promise<Result<LoadedTable, LakeSyncError>>;
  /** The table's current metadata; `NO_SUCH_TABLE` if it does not exist. */
  loadTable(table: TableIdentifier): Promise<Result<LoadedTable, LakeSyncError>>;
  /**
   * Checks `requirements` against the current metadata, applies `updates`, writes the new
   * metadata file and swaps it in atomically. `COMMIT_CONFLICT` when a requirement fails or a
   * concurrent commit won; nothing was applied then.
   */
  commitTable(
    table: TableIdentifier,
    requirements: readonly TableRequirement[],
    updates: readonly TableUpdate[],
  ): Promise<Result<LoadedTable, LakeSyncError>>;
  /** Removes the table from the catalogue (data files are left alone unless `purge`). */
  dropTable(
    table: TableIdentifier,
    options?: { purge?: boolean },
  ): Promise<Result<void, LakeSyncError>>;
  /** Releases connections. */
  close(): Promise<void>;
}
