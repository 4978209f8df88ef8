/**
 * @module lake/parquet-parts
 * Reading a Parquet file of the lake a few row groups at a time, without holding the file: its
 * footer is read from the end of the object, then each run of row groups with range reads of
 * just their column chunks (hyparquet over the location's `readRange`). A compacted file of
 * 128 MiB is so read in a budget of a few MiB.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadata,
  parquetReadObjects,
} from "hyparquet";
import { CatalogueError } from "../errors.js";
import {
  columnNames,
  type FileColumns,
  fieldColumns,
  type WantedField,
} from "../lakesync/parquet-columns.js";
import type { LakeLocation } from "./lake-location.js";

/** One row group: its rows and the bytes of its column chunks on storage. */
export interface RowGroupSize {
  readonly rows: number;
  readonly bytes: number;
}

/** An opened Parquet file: its URI, size, footer and row groups. */
export interface ParquetFileParts {
  readonly uri: string;
  readonly size: number;
  readonly metadata: FileMetaData;
  readonly rowGroups: readonly RowGroupSize[];
}

const TAIL = 64 * 1024;

const unreadable = (uri: string, cause: unknown) =>
  new CatalogueError(
    "INVALID_INPUT",
    `cannot read the Parquet file ${uri}: ${(cause as Error)?.message ?? String(cause)}`,
    { cause },
  );

const arrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/**
 * Reads the footer of the Parquet file at `uri` (its last bytes only). `Err(CatalogueError)`:
 * `CATALOGUE_UNAVAILABLE` when it cannot be read, `INVALID_INPUT` when it is not Parquet.
 */
export async function openParquetFile(
  location: LakeLocation,
  uri: string,
): Promise<Result<ParquetFileParts, CatalogueError>> {
  const size = await location.size(uri);
  if (!size.ok) return size;
  if (size.value < 12) return Err(unreadable(uri, new Error("too short to be Parquet")));
  let tail = await location.readRange(uri, Math.max(0, size.value - TAIL), TAIL);
  if (!tail.ok) return tail;
  const n = tail.value.length;
  const footer = new DataView(tail.value.buffer, tail.value.byteOffset + n - 8, 4).getUint32(
    0,
    true,
  );
  if (footer + 8 > n && footer + 8 <= size.value) {
    tail = await location.readRange(uri, size.value - footer - 8, footer + 8);
    if (!tail.ok) return tail;
  }
  try {
    const metadata = parquetMetadata(arrayBuffer(tail.value));
    const rowGroups = metadata.row_groups.map((group) => ({
      rows: Number(group.num_rows),
      bytes: group.columns.reduce(
        (sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0),
        0,
      ),
    }));
    return Ok({ uri, size: size.value, metadata, rowGroups });
  } catch (cause) {
    return Err(unreadable(uri, cause));
  }
}

/**
 * Reads `fields` of row groups `first` to `last` (inclusive) of `file`, fetching only their
 * column chunks. `Err(CatalogueError)` as {@link openParquetFile}'s.
 */
export async function readRowGroups(
  location: LakeLocation,
  file: ParquetFileParts,
  first: number,
  last: number,
  fields: readonly WantedField[],
): Promise<Result<FileColumns, CatalogueError>> {
  const rowStart = file.rowGroups.slice(0, first).reduce((n, g) => n + g.rows, 0);
  const rowEnd = rowStart + file.rowGroups.slice(first, last + 1).reduce((n, g) => n + g.rows, 0);
  const names = columnNames(file.metadata, fields);
  if (names.size === 0) return Ok({ rowCount: rowEnd - rowStart, columns: new Map() });
  let failure: CatalogueError | undefined;
  const buffer: AsyncBuffer = {
    byteLength: file.size,
    slice: async (start, end) => {
      const read = await location.readRange(file.uri, start, (end ?? file.size) - start);
      if (!read.ok) {
        failure = read.error;
        throw read.error;
      }
      return arrayBuffer(read.value);
    },
  };
  try {
    const rows = await parquetReadObjects({
      file: buffer,
      metadata: file.metadata,
      columns: [...new Set(names.values())],
      rowStart,
      rowEnd,
    });
    return Ok(fieldColumns(rows, names));
  } catch (cause) {
    return Err(failure ?? unreadable(file.uri, cause));
  }
}
