/**
 * @module compaction/delete-marks
 * Applying a partition's deletes when their keys do not fit the memory budget at once (a backlog
 * of flushes, each listing every row it touched). The delete files are taken in chunks that fit;
 * for each chunk, only the equality columns of the data files it applies to are read, and the
 * deleted rows are marked in one bitmap per data file (a bit per row). The fold then reads each
 * data file once and skips the marked rows. Memory: one chunk's keys plus the bitmaps, and one
 * part of a data file (`input-parts`).
 */
import type { LakeLocation, ScanFile, TableMetadata } from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { fieldOf, isDeleted, readDeleteIndex } from "./delete-index.js";
import { readInParts } from "./input-parts.js";

/** Estimated memory of the keys of one delete file (manifest row count times a key's cost). */
export function deleteFileCost(file: ScanFile): number {
  return file.dataFile.recordCount * 72;
}

/** `deletes` cut into runs whose estimated keys fit `limit` (a file larger alone is its own run). */
export function chunkDeletes(deletes: readonly ScanFile[], limit: number): ScanFile[][] {
  const chunks: ScanFile[][] = [];
  let current: ScanFile[] = [];
  let cost = 0;
  for (const file of deletes) {
    const c = deleteFileCost(file);
    if (current.length > 0 && cost + c > limit) {
      chunks.push(current);
      current = [];
      cost = 0;
    }
    current.push(file);
    cost += c;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Per data file, a bit per row: set when the row is deleted. */
export type DeleteMarks = ReadonlyMap<string, Uint8Array>;

/** True when row `index` is marked in `bits`. */
export function isMarked(bits: Uint8Array | undefined, index: number): boolean {
  return bits !== undefined && ((bits[index >> 3] as number) & (1 << (index & 7))) !== 0;
}

/**
 * Marks the rows of `files` that `chunks` delete (see the module comment); reports the bytes
 * read. A chunk whose keys turn out not to fit is halved. `Err`: the storage's or reader's error,
 * or `OVER_BUDGET` for a single delete file whose keys exceed `limit`.
 */
export async function markDeletedRows(
  location: LakeLocation,
  metadata: TableMetadata,
  files: readonly ScanFile[],
  chunks: readonly (readonly ScanFile[])[],
  limit: number,
  inputLimitBytes: number,
): Promise<Result<{ marks: DeleteMarks; bytesRead: number }, LakeSyncError>> {
  const marks = new Map<string, Uint8Array>();
  let bytesRead = 0;
  const queue = chunks.map((c) => [...c]);
  while (queue.length > 0) {
    const chunk = queue.shift() as ScanFile[];
    const index = await readDeleteIndex(location, metadata, chunk, limit);
    if (!index.ok) {
      // The estimate was too low for this chunk: halve it and try again.
      if (index.error.code === "OVER_BUDGET" && chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        queue.unshift(chunk.slice(0, half), chunk.slice(half));
        continue;
      }
      return index;
    }
    bytesRead += index.value.bytesRead;
    const newest = Math.max(...chunk.map((d) => d.sequenceNumber));
    const ids = new Set(index.value.equality.flatMap((set) => set.ids));
    const wanted = [...ids].map((id) => fieldOf(metadata, id));
    for (const file of files) {
      // No delete of this chunk is newer than the file: none applies to it.
      if (file.sequenceNumber >= newest && index.value.positions.size === 0) continue;
      const path = file.dataFile.filePath;
      const total = file.dataFile.recordCount;
      let bits = marks.get(path);
      const read = await readInParts(
        location,
        file.dataFile,
        wanted,
        inputLimitBytes,
        async (columns, rowCount, firstRow) => {
          for (let i = 0; i < rowCount; i++) {
            if (!isDeleted(index.value, path, file.sequenceNumber, columns, i, firstRow)) continue;
            const at = firstRow + i;
            bits ??= new Uint8Array((Math.max(total, firstRow + rowCount) + 7) >> 3);
            bits[at >> 3] = (bits[at >> 3] as number) | (1 << (at & 7));
          }
          return Ok(undefined);
        },
      );
      if (!read.ok) return read;
      bytesRead += read.value;
      if (bits) marks.set(path, bits);
    }
  }
  return Ok({ marks, bytesRead });
}
