/**
 * @module @lakesync/catalogue
 * Apache Iceberg v2 for LakeSync: table metadata, manifests and manifest lists, Parquet data and
 * equality-delete files with field ids, snapshot commits with retries and exactly-once keys, a
 * scan planner, and catalogues (the SQL catalogue here; its SQLite and PostgreSQL drivers in
 * `@lakesync/catalogue/node`). This entry is runtime-neutral (Node, browsers, Workers with
 * `nodejs_compat` for Avro's `Buffer`).
 *
 * @example
 * import { commitSnapshot, createLakeLocation, writeDataFile } from "@lakesync/catalogue";
 * const file = writeDataFile({ schema, spec, rows, filePath: location.uriOf(key) });
 */

// Catalogues
export type {
  Catalogue,
  CreateTableRequest,
  LoadedTable,
  Namespace,
  TableIdentifier,
} from "./catalogue/catalogue.js";
export { SqlCatalogue, type SqlCatalogueOptions } from "./catalogue/sql-catalogue.js";
export {
  CREATE_NAMESPACE_PROPERTIES_TABLE,
  CREATE_TABLES_TABLE,
  NAMESPACE_EXISTS_PROPERTY,
} from "./catalogue/sql-catalogue-schema.js";
export type { SqlColumn, SqlDriver, SqlOutcome, SqlValue } from "./catalogue/sql-driver.js";
export type { TableRequirement, TableUpdate } from "./catalogue/updates.js";
// Commits
export {
  type CommitSnapshotRequest,
  type CommittedSnapshot,
  commitSnapshot,
  type SnapshotOperation,
} from "./commit/commit-snapshot.js";
export { jitteredBackoff, type RetryOptions } from "./commit/retry.js";
export {
  COMMIT_KEY_PROPERTY,
  type SnapshotChanges,
  snapshotSummary,
} from "./commit/snapshot-summary.js";
export { addColumns, createTableIfMissing, type NewColumn } from "./commit/table-setup.js";
// Errors
export { CatalogueError, type CatalogueErrorCode, isCatalogueError } from "./errors.js";
export {
  type AvroCodec,
  type AvroContainer,
  type AvroWriteOptions,
  readAvroContainer,
  writeAvroContainer,
} from "./iceberg/avro/avro-container.js";
// Partitioning
export {
  bucketCount,
  bucketOfHash,
  bucketString,
  hashLong,
  hashString,
  murmur3Hash32,
} from "./iceberg/bucket-transform.js";
export {
  ColumnMetrics,
  type FileMetrics,
} from "./iceberg/column-metrics.js";

// Files, manifests and manifest lists
export {
  type DataFile,
  EntryStatus,
  type FieldSummary,
  FileContent,
  ManifestContent,
  type ManifestEntry,
  type ManifestFile,
  type PartitionValue,
} from "./iceberg/content-file.js";
export {
  DataFileStream,
  type DataFileStreamOptions,
  type StreamedDataFile,
} from "./iceberg/data-file-stream.js";
export {
  type DataFileWriteOptions,
  type WrittenDataFile,
  writeDataFile,
} from "./iceberg/data-file-writer.js";
export {
  type Manifest,
  type ManifestContentName,
  type ManifestWriteOptions,
  readManifest,
  writeManifest,
} from "./iceberg/manifest.js";
export {
  type ManifestListWriteOptions,
  type ManifestSummaryOptions,
  readManifestList,
  summariseManifest,
  writeManifestList,
} from "./iceberg/manifest-list.js";
export {
  type ApplyUpdatesOptions,
  applyUpdates,
  checkRequirements,
  createTableMetadata,
  currentSchema,
  currentSnapshot,
  defaultSpec,
  type NewTableMetadata,
  parseTableMetadata,
  refSnapshotId,
  serialiseTableMetadata,
  snapshotAsOf,
  snapshotById,
  specById,
  UNPARTITIONED_SPEC,
  UNSORTED_ORDER,
} from "./iceberg/metadata.js";
export {
  metadataFileLocation,
  metadataVersion,
  nextMetadataLocation,
  withMetadataLog,
} from "./iceberg/metadata-files.js";
export {
  partitionFields,
  partitionKey,
  partitionOf,
  type TypedPartitionField,
} from "./iceberg/partition.js";
export { fieldIdsOf, highestFieldId } from "./iceberg/schema-json.js";
export {
  compareValues,
  deserialiseValue,
  type PrimitiveValue,
  serialiseValue,
} from "./iceberg/single-value.js";
export {
  type ResolvedEntry,
  readManifestEntries,
  readSnapshotManifests,
  resolveEntry,
} from "./iceberg/snapshot-files.js";
// Table metadata
export type * from "./iceberg/types.js";
// Storage
export { createLakeLocation, type LakeLocation, type LakeUpload } from "./lake/lake-location.js";
export { readMetadataFile, writeMetadataFile } from "./lake/metadata-io.js";
export {
  openParquetFile,
  type ParquetFileParts,
  type RowGroupSize,
  readRowGroups,
} from "./lake/parquet-parts.js";
export { decodeCell } from "./lakesync/cell-codec.js";
// LakeSync's lake layout on Iceberg (ADR-014): the flush target and the readers
export {
  columnTypeOf,
  icebergToTableSchema,
  icebergTypeOf,
  missingColumns,
  tableSchemaToIceberg,
} from "./lakesync/column-mapping.js";
export { historyEntryOf, historyRowOf } from "./lakesync/history-rows.js";
export {
  type IcebergFlushTargetOptions,
  icebergFlushTarget,
} from "./lakesync/iceberg-flush-target.js";
export type {
  LakeSyncBatch,
  LakeSyncFlushTarget,
  LakeSyncFlushWritten,
  LakeSyncLogEntry,
} from "./lakesync/lake-batch.js";
export {
  DEFAULT_BUCKETS,
  flushCommitKey,
  GATEWAY_ID_PROPERTY,
  HISTORY_TABLE,
  LAYOUT_PROPERTY,
  type LakeTables,
  LOG_RANGE_PROPERTY,
  lakeTableLocation,
  lakeTables,
  ROW_ID_BUCKET_FIELD,
  ROW_ID_COLUMN,
  ROW_ID_FIELD_ID,
  rowIdBucketSpec,
  STATE_TABLE_PREFIX,
  stateTableName,
  TABLE_PROPERTY,
  tableDirectory,
} from "./lakesync/layout.js";
export { HISTORY_SCHEMA, STATE_SCHEMA } from "./lakesync/layout-schemas.js";
export {
  type FileColumns,
  readFileColumns,
  type WantedField,
} from "./lakesync/parquet-columns.js";
export { parquetColumnName } from "./lakesync/parquet-names.js";
export {
  type LakeReadOptions,
  type LakeRowStates,
  type LakeTable,
  readLakeRowStates,
  readLakeTable,
} from "./lakesync/read-lake.js";
export { type LakeHistoryReadOptions, readLakeHistory } from "./lakesync/read-lake-history.js";
export { rowStateOf } from "./lakesync/row-state-rows.js";
export {
  readSnapshotRows,
  type SnapshotReadOptions,
  type SnapshotRows,
} from "./lakesync/snapshot-rows.js";
export { ancestry, pairedStateSnapshot } from "./lakesync/state-pairing.js";
// REST catalogue: client (with Nessie and R2 Data Catalog presets) and server
export * from "./rest/index.js";
// Reading
export {
  deletesFor,
  type PlanScanOptions,
  planScan,
  type ScanFile,
  type ScanPlan,
} from "./scan/plan-scan.js";
