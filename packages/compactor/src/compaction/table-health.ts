/**
 * @module compaction/table-health
 * How much a table needs compacting, from the manifests of its current snapshot: its data
 * files, how many of them are small, and its delete files.
 */
import {
  type Catalogue,
  type LakeLocation,
  planScan,
  type TableIdentifier,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";

/** The file counts of a table's current snapshot. */
export interface TableHealth {
  readonly dataFiles: number;
  /** Data files below the small-file size. */
  readonly smallFiles: number;
  readonly deleteFiles: number;
  /** Bytes of all live files. */
  readonly bytes: number;
  readonly rows: number;
}

/**
 * The health of `table` (see the module comment); a table that does not exist yet is empty.
 * `Err`: the catalogue's or storage's error.
 */
export async function tableHealth(
  catalogue: Catalogue,
  location: LakeLocation,
  table: TableIdentifier,
  smallFileBytes: number,
): Promise<Result<TableHealth, LakeSyncError>> {
  const loaded = await catalogue.loadTable(table);
  if (!loaded.ok)
    return loaded.error.code === "NO_SUCH_TABLE"
      ? Ok({ dataFiles: 0, smallFiles: 0, deleteFiles: 0, bytes: 0, rows: 0 })
      : loaded;
  const scan = await planScan(location, loaded.value.metadata);
  if (!scan.ok) return scan;
  const { dataFiles, deleteFiles } = scan.value;
  return Ok({
    dataFiles: dataFiles.length,
    smallFiles: dataFiles.filter((f) => f.dataFile.fileSizeInBytes < smallFileBytes).length,
    deleteFiles: deleteFiles.length,
    bytes: [...dataFiles, ...deleteFiles].reduce((n, f) => n + f.dataFile.fileSizeInBytes, 0),
    rows: dataFiles.reduce((n, f) => n + f.dataFile.recordCount, 0),
  });
}
