/**
 * @module compaction/delete-index
 * The delete files of one partition, read into lookups the fold checks every row against:
 * equality deletes as key → highest sequence number of a delete of that key (a row goes when a
 * delete of its key has a higher sequence number than its file's), position deletes as file →
 * position → highest sequence number (a row goes when one is higher or equal). The keys' memory
 * is counted against the budget.
 */
import {
  type IcebergSchema,
  type LakeLocation,
  readFileColumns,
  type ScanFile,
  type TableMetadata,
  type WantedField,
} from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CompactorError } from "../errors.js";
import { valueCost } from "./compaction-options.js";

const FILE_PATH_ID = 2147483546;
const POS_ID = 2147483545;

/** The equality deletes on one set of field ids. */
interface EqualityDeletes {
  readonly ids: readonly number[];
  readonly keys: Map<string, number>;
}

/** The deletes that apply to the files of one partition. */
export interface DeleteIndex {
  readonly equality: readonly EqualityDeletes[];
  readonly positions: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Estimated memory held. */
  readonly cost: number;
  /** Bytes read from storage to build it. */
  readonly bytesRead: number;
}

/** A key equal for equal values (one string column, the usual `row_id`, is its own key). */
export function equalityKey(values: readonly unknown[]): string {
  if (values.length === 1 && typeof values[0] === "string") return values[0];
  return JSON.stringify(
    values.map((v) =>
      typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : (v ?? null),
    ),
  );
}

/** The field named by `id` in any of the table's schemas (equality ids may name old columns). */
export function fieldOf(metadata: TableMetadata, id: number): WantedField {
  for (const schema of [...metadata.schemas].reverse()) {
    const field = schema.fields.find((f) => f.id === id);
    if (field) return { id, name: field.name };
  }
  return { id, name: String(id) };
}

/**
 * Reads `deletes` into a {@link DeleteIndex}. `Err`: the storage's or Parquet reader's error, or
 * `CompactorError` (`OVER_BUDGET`) when the keys would hold more than `costLimit` bytes.
 */
export async function readDeleteIndex(
  location: LakeLocation,
  metadata: TableMetadata,
  deletes: readonly ScanFile[],
  costLimit: number,
): Promise<Result<DeleteIndex, LakeSyncError>> {
  const equality = new Map<string, EqualityDeletes>();
  const positions = new Map<string, Map<number, number>>();
  let cost = 0;
  let bytesRead = 0;
  for (const file of deletes) {
    const bytes = await location.read(file.dataFile.filePath);
    if (!bytes.ok) return bytes;
    bytesRead += bytes.value.length;
    const seq = file.sequenceNumber;
    if (file.dataFile.content === 1) {
      const read = await readFileColumns(bytes.value, [
        { id: FILE_PATH_ID, name: "file_path" },
        { id: POS_ID, name: "pos" },
      ]);
      if (!read.ok) return read;
      const paths = read.value.columns.get(FILE_PATH_ID) ?? [];
      const pos = read.value.columns.get(POS_ID) ?? [];
      for (let i = 0; i < read.value.rowCount; i++) {
        const path = String(paths[i]);
        const byPos = positions.get(path) ?? new Map<number, number>();
        positions.set(path, byPos);
        const at = Number(pos[i]);
        byPos.set(at, Math.max(seq, byPos.get(at) ?? -1));
        cost += 48;
      }
    } else {
      const ids = file.dataFile.equalityIds ?? [];
      const name = ids.join(",");
      let set = equality.get(name);
      if (!set) {
        set = { ids, keys: new Map() };
        equality.set(name, set);
      }
      const read = await readFileColumns(
        bytes.value,
        ids.map((id) => fieldOf(metadata, id)),
      );
      if (!read.ok) return read;
      const columns = ids.map((id) => read.value.columns.get(id) ?? []);
      for (let i = 0; i < read.value.rowCount; i++) {
        const key = equalityKey(columns.map((c) => c[i]));
        const before = set.keys.get(key);
        if (before === undefined) cost += 40 + valueCost(key);
        if (before === undefined || before < seq) set.keys.set(key, seq);
      }
    }
    if (cost > costLimit)
      return Err(
        new CompactorError(
          "OVER_BUDGET",
          `the delete keys of one partition need more than ${costLimit} bytes: compact more often, or use more buckets or a larger memory budget`,
        ),
      );
  }
  return Ok({ equality: [...equality.values()], positions, cost, bytesRead });
}

/**
 * True when row `index` of a part of a data file (`path`, data sequence number `seq`, columns by
 * field id) whose first row is row `firstRow` of the file is deleted by `deletes`.
 */
export function isDeleted(
  deletes: DeleteIndex,
  path: string,
  seq: number,
  columns: ReadonlyMap<number, readonly unknown[]>,
  index: number,
  firstRow = 0,
): boolean {
  for (const set of deletes.equality) {
    const key = equalityKey(set.ids.map((id) => columns.get(id)?.[index]));
    const deletedAt = set.keys.get(key);
    if (deletedAt !== undefined && deletedAt > seq) return true;
  }
  const byPos = deletes.positions.get(path);
  if (byPos) {
    const deletedAt = byPos.get(firstRow + index);
    if (deletedAt !== undefined && deletedAt >= seq) return true;
  }
  return false;
}

/** The schema fields plus any equality field of `deletes` the schema lacks, to read from data files. */
export function fieldsToRead(
  schema: IcebergSchema,
  metadata: TableMetadata,
  deletes: DeleteIndex,
): WantedField[] {
  const wanted = schema.fields.map((f) => ({ id: f.id, name: f.name }));
  const ids = new Set(wanted.map((w) => w.id));
  for (const set of deletes.equality)
    for (const id of set.ids)
      if (!ids.has(id)) {
        ids.add(id);
        wanted.push(fieldOf(metadata, id));
      }
  return wanted;
}
