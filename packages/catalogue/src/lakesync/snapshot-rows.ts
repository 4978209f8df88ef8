/**
 * @module lakesync/snapshot-rows
 * The live rows of one snapshot of an Iceberg table, merge-on-read: the data files `planScan`
 * lists, minus the rows that the delete files applying to each (`deletesFor`: equality deletes
 * with a higher data sequence number, position deletes with a higher or equal one) remove.
 * Rows are read with the schema the snapshot was written with, so a time-travel read sees the
 * columns of its time; a column a file lacks reads as null. The whole snapshot is read into
 * memory: bounding it is the compactor's business.
 */
import { Ok, type Result, setOwn } from "@lakesync/core";
import type { Compressors } from "hyparquet";
import type { CatalogueError } from "../errors.js";
import { currentSchema } from "../iceberg/metadata.js";
import type { IcebergSchema, Snapshot, TableMetadata } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { deletesFor, type PlanScanOptions, planScan, type ScanFile } from "../scan/plan-scan.js";
import { readFileColumns } from "./parquet-columns.js";

/** Which snapshot to read, and codecs beyond snappy (hyparquet `compressors`, e.g. zstd). */
export interface SnapshotReadOptions extends PlanScanOptions {
  readonly compressors?: Compressors;
}

/** A snapshot's live rows, keyed by the field names of its schema. */
export interface SnapshotRows {
  /** `undefined` for a table without snapshots (no rows). */
  readonly snapshot: Snapshot | undefined;
  readonly schema: IcebergSchema;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

const FILE_PATH_ID = 2147483546;
const POS_ID = 2147483545;

type DeleteSet =
  | { readonly kind: "equality"; readonly ids: readonly number[]; readonly keys: Set<string> }
  | { readonly kind: "position"; readonly positions: Map<string, Set<number>> };

const keyOf = (values: readonly unknown[]) =>
  JSON.stringify(
    values.map((v) =>
      typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : (v ?? null),
    ),
  );

/** The schema a snapshot was written with (the current one when it does not say). */
export function schemaOfSnapshot(
  metadata: TableMetadata,
  snapshot: Snapshot | undefined,
): IcebergSchema {
  const id = snapshot?.["schema-id"];
  return metadata.schemas.find((s) => s["schema-id"] === id) ?? currentSchema(metadata);
}

async function readDeletes(
  location: LakeLocation,
  file: ScanFile,
  schema: IcebergSchema,
  compressors: Compressors | undefined,
): Promise<Result<DeleteSet, CatalogueError>> {
  const bytes = await location.read(file.dataFile.filePath);
  if (!bytes.ok) return bytes;
  if (file.dataFile.content === 1) {
    const wanted = [
      { id: FILE_PATH_ID, name: "file_path" },
      { id: POS_ID, name: "pos" },
    ];
    const read = await readFileColumns(bytes.value, wanted, compressors);
    if (!read.ok) return read;
    const paths = read.value.columns.get(FILE_PATH_ID) ?? [];
    const positions = read.value.columns.get(POS_ID) ?? [];
    const out = new Map<string, Set<number>>();
    paths.forEach((path, i) => {
      const set = out.get(String(path)) ?? new Set<number>();
      set.add(Number(positions[i]));
      out.set(String(path), set);
    });
    return Ok({ kind: "position", positions: out });
  }
  const ids = file.dataFile.equalityIds ?? [];
  const wanted = ids.map((id) => ({
    id,
    name: schema.fields.find((f) => f.id === id)?.name ?? String(id),
  }));
  const read = await readFileColumns(bytes.value, wanted, compressors);
  if (!read.ok) return read;
  const keys = new Set<string>();
  for (let i = 0; i < read.value.rowCount; i++)
    keys.add(keyOf(ids.map((id) => read.value.columns.get(id)?.[i])));
  return Ok({ kind: "equality", ids, keys });
}

/**
 * Reads the live rows of a snapshot of the table described by `metadata` (the current one, or
 * as `options` choose). `Err(CatalogueError)`: `INVALID_INPUT` for an unknown snapshot or an
 * unreadable file, `CATALOGUE_UNAVAILABLE` when a file cannot be fetched.
 */
export async function readSnapshotRows(
  location: LakeLocation,
  metadata: TableMetadata,
  options: SnapshotReadOptions = {},
): Promise<Result<SnapshotRows, CatalogueError>> {
  const plan = await planScan(location, metadata, options);
  if (!plan.ok) return plan;
  const { snapshot } = plan.value;
  const schema = schemaOfSnapshot(metadata, snapshot);
  const deleteSets = new Map<string, DeleteSet>();
  for (const file of plan.value.deleteFiles) {
    const set = await readDeletes(location, file, schema, options.compressors);
    if (!set.ok) return set;
    deleteSets.set(file.dataFile.filePath, set.value);
  }
  const rows: Record<string, unknown>[] = [];
  for (const file of plan.value.dataFiles) {
    const deletes = deletesFor(plan.value, file).flatMap((d) => {
      const set = deleteSets.get(d.dataFile.filePath);
      return set ? [set] : [];
    });
    const ids = new Set(schema.fields.map((f) => f.id));
    for (const d of deletes) if (d.kind === "equality") for (const id of d.ids) ids.add(id);
    const wanted = [...ids].map((id) => ({
      id,
      name: schema.fields.find((f) => f.id === id)?.name ?? String(id),
    }));
    const bytes = await location.read(file.dataFile.filePath);
    if (!bytes.ok) return bytes;
    const read = await readFileColumns(bytes.value, wanted, options.compressors);
    if (!read.ok) return read;
    const { columns, rowCount } = read.value;
    const path = file.dataFile.filePath;
    for (let i = 0; i < rowCount; i++) {
      const gone = deletes.some((d) =>
        d.kind === "position"
          ? (d.positions.get(path)?.has(i) ?? false)
          : d.keys.has(keyOf(d.ids.map((id) => columns.get(id)?.[i]))),
      );
      if (gone) continue;
      const row: Record<string, unknown> = {};
      for (const field of schema.fields)
        setOwn(row, field.name, columns.get(field.id)?.[i] ?? null);
      rows.push(row);
    }
  }
  return Ok({ snapshot, schema, rows });
}
