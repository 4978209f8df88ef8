/**
 * @module lakesync/parquet-columns
 * Reading the columns of an Iceberg data or delete file by field id, with hyparquet (pure
 * JavaScript, so it runs wherever the catalogue does). Columns are matched by the Parquet schema's
 * `field_id`; a file written without ids is matched by name (the field's name or its Parquet
 * spelling). A field the file lacks (added to the table later) reads as absent.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import {
  type Compressors,
  type FileMetaData,
  parquetMetadata,
  parquetReadObjects,
  type SchemaElement,
} from "hyparquet";
import { CatalogueError } from "../errors.js";
import { parquetColumnName } from "./parquet-names.js";

/** A field to read: its id and, for files without ids, its name. */
export interface WantedField {
  readonly id: number;
  readonly name: string;
}

/** The values of the fields found in one file, one array per field id, and its row count. */
export interface FileColumns {
  readonly rowCount: number;
  readonly columns: ReadonlyMap<number, readonly unknown[]>;
}

/** The top-level columns of a Parquet schema (nested groups are skipped whole). */
function topLevel(schema: readonly SchemaElement[]): SchemaElement[] {
  const out: SchemaElement[] = [];
  const children = schema[0]?.num_children ?? 0;
  let i = 1;
  for (let c = 0; c < children && i < schema.length; c++) {
    const element = schema[i] as SchemaElement;
    out.push(element);
    // Skip the element and its whole subtree.
    let pending = 1;
    while (pending > 0 && i < schema.length) {
      pending += ((schema[i] as SchemaElement).num_children ?? 0) - 1;
      i++;
    }
  }
  return out;
}

/** The Parquet column name of each of `fields` the file holds (by field id, else by name). */
export function columnNames(
  meta: FileMetaData,
  fields: readonly WantedField[],
): Map<number, string> {
  const elements = topLevel(meta.schema).filter((e) => !e.num_children);
  const byId = elements.some((e) => e.field_id !== undefined);
  const out = new Map<number, string>();
  for (const field of fields) {
    const found = byId
      ? elements.find((e) => e.field_id === field.id)
      : elements.find((e) => e.name === field.name || e.name === parquetColumnName(field.name));
    if (found) out.set(field.id, found.name);
  }
  return out;
}

/** Rows read by column name, as columns by field id (`names`: field id → column name). */
export function fieldColumns(
  rows: readonly Record<string, unknown>[],
  names: ReadonlyMap<number, string>,
): FileColumns {
  const columns = new Map<number, unknown[]>();
  for (const [id, name] of names)
    columns.set(
      id,
      rows.map((row) => row[name]),
    );
  return { rowCount: rows.length, columns };
}

/**
 * Reads `fields` from the Parquet file `bytes` (see the module comment). `Err(CatalogueError)`
 * (`INVALID_INPUT`) when the file cannot be decoded (a zstd file needs `compressors`).
 */
export async function readFileColumns(
  bytes: Uint8Array,
  fields: readonly WantedField[],
  compressors?: Compressors,
): Promise<Result<FileColumns, CatalogueError>> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  try {
    const meta = parquetMetadata(file as ArrayBuffer);
    const names = columnNames(meta, fields);
    const rowCount = Number(meta.num_rows);
    if (names.size === 0) return Ok({ rowCount, columns: new Map() });
    const rows = await parquetReadObjects({
      file: file as ArrayBuffer,
      metadata: meta,
      columns: [...new Set(names.values())],
      ...(compressors ? { compressors } : {}),
    });
    return Ok(fieldColumns(rows, names));
  } catch (cause) {
    return Err(
      new CatalogueError(
        "INVALID_INPUT",
        `cannot read a Parquet file: ${(cause as Error)?.message ?? String(cause)}`,
        { cause },
      ),
    );
  }
}
