/**
 * @module compaction/input-parts
 * Reading one data file in parts that fit the memory budget: a small file whole, a large one
 * (a compacted file of up to the target size) a run of row groups at a time, with range reads of
 * just their column chunks. A single row group larger than the budget allows is an
 * `OVER_BUDGET` error, never an out-of-memory.
 */
import {
  type DataFile,
  type LakeLocation,
  openParquetFile,
  readFileColumns,
  readRowGroups,
  type ScanFile,
  type WantedField,
} from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CompactorError } from "../errors.js";

/** One part of a data file: its columns by field id, its rows, and the file position of its first row. */
export interface InputPart {
  readonly columns: ReadonlyMap<number, readonly unknown[]>;
  readonly rowCount: number;
  readonly firstRow: number;
  /** Bytes read from storage for this part (the footer counted with the first). */
  readonly bytesRead: number;
}

/** Receives one part: its columns by field id, its rows, and the file position of its first row. */
export type PartVisitor = (
  columns: ReadonlyMap<number, readonly unknown[]>,
  rowCount: number,
  firstRow: number,
) => Promise<Result<void, LakeSyncError>>;

/**
 * The parts of `file` (its `fields`), each at most `limitBytes` on storage (see the module
 * comment), in file order. Yields an `Err` and stops for the storage's or reader's error, or
 * `OVER_BUDGET`.
 */
export async function* inputParts(
  location: LakeLocation,
  file: DataFile,
  fields: readonly WantedField[],
  limitBytes: number,
): AsyncGenerator<Result<InputPart, LakeSyncError>> {
  const uri = file.filePath;
  if (file.fileSizeInBytes <= limitBytes) {
    const bytes = await location.read(uri);
    if (!bytes.ok) return yield bytes;
    const read = await readFileColumns(bytes.value, fields);
    if (!read.ok) return yield read;
    const { columns, rowCount } = read.value;
    return yield Ok({ columns, rowCount, firstRow: 0, bytesRead: bytes.value.length });
  }
  const opened = await openParquetFile(location, uri);
  if (!opened.ok) return yield opened;
  const groups = opened.value.rowGroups;
  let footer = opened.value.size - groups.reduce((n, g) => n + g.bytes, 0);
  let first = 0;
  let firstRow = 0;
  while (first < groups.length) {
    let bytes = groups[first]?.bytes ?? 0;
    if (bytes > limitBytes)
      return yield Err(
        new CompactorError(
          "OVER_BUDGET",
          `row group ${first} of ${uri} holds ${bytes} bytes, more than the ${limitBytes} the memory budget lets one input part hold`,
        ),
      );
    let last = first;
    while (last + 1 < groups.length && bytes + (groups[last + 1]?.bytes ?? 0) <= limitBytes) {
      last++;
      bytes += groups[last]?.bytes ?? 0;
    }
    const read = await readRowGroups(location, opened.value, first, last, fields);
    if (!read.ok) return yield read;
    const { columns, rowCount } = read.value;
    yield Ok({ columns, rowCount, firstRow, bytesRead: bytes + footer });
    footer = 0;
    firstRow += rowCount;
    first = last + 1;
  }
}

/**
 * Reads `fields` of `file` in parts (see {@link inputParts}), handing each to `visit` in file
 * order; returns the bytes read. `Err`: the storage's or reader's error, `visit`'s, or
 * `OVER_BUDGET`.
 */
export async function readInParts(
  location: LakeLocation,
  file: DataFile,
  fields: readonly WantedField[],
  limitBytes: number,
  visit: PartVisitor,
): Promise<Result<number, LakeSyncError>> {
  let bytesRead = 0;
  for await (const part of inputParts(location, file, fields, limitBytes)) {
    if (!part.ok) return part;
    bytesRead += part.value.bytesRead;
    const { columns, rowCount, firstRow } = part.value;
    const visited = await visit(columns, rowCount, firstRow);
    if (!visited.ok) return visited;
  }
  return Ok(bytesRead);
}

/**
 * The data files among `files` that cannot be read within the budget: larger than
 * `limitBytes` and holding a row group larger than that (a flush's single large row group, a
 * file another engine wrote). Only their footers are read. `Err`: the storage's or reader's error.
 */
export async function oversizedFiles(
  location: LakeLocation,
  files: readonly ScanFile[],
  limits: { readonly inputFileLimitBytes: number },
): Promise<Result<ReadonlySet<string>, LakeSyncError>> {
  const out = new Set<string>();
  for (const file of files) {
    if (file.dataFile.fileSizeInBytes <= limits.inputFileLimitBytes) continue;
    const opened = await openParquetFile(location, file.dataFile.filePath);
    if (!opened.ok) return opened;
    if (opened.value.rowGroups.some((g) => g.bytes > limits.inputFileLimitBytes))
      out.add(file.dataFile.filePath);
  }
  return Ok(out);
}
