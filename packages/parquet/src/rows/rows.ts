/**
 * @module rows/rows
 * Materialised table state (one row per row id) to Parquet and back, for base files and
 * checkpoints.
 */
import {
  type ColumnValue,
  Err,
  type FlushError,
  Ok,
  type Result,
  type Row,
  SchemaError,
  setOwn,
  type TableSchema,
} from "@lakesync/core";
import type { IpcWriter } from "../arrow/ipc-writer.js";
import { parquetToArrow, writeParquetStream } from "../arrow/parquet-io.js";
import { readColumn } from "../arrow/read-vectors.js";
import { writeUtf8 } from "../arrow/utf8-column.js";
import {
  FORMAT_METADATA_KEY,
  rowsArrowSchema,
  SCHEMA_METADATA_KEY,
} from "../schema/arrow-schema.js";
import { schemaProblem } from "../schema/check-schema.js";
import { ColumnBuilder } from "../schema/column-builder.js";
import { loadValue, misfit } from "../schema/column-values.js";
import { fileSchema } from "../schema/file-schema.js";
import type { ParquetWriteOptions } from "../write-options.js";

const ROW_ID = new Set(["id"]);
const SLICE = 65_536;

/** A materialised row: its id and its column values. */
export interface IdentifiedRow {
  readonly id: string;
  readonly values: Row;
}

/** The content of a rows file. */
export interface RowsFile {
  readonly schema: TableSchema;
  readonly rows: IdentifiedRow[];
}

/**
 * Writes rows as Parquet: an `id` column plus one typed column per schema column (a column a
 * row lacks is null). Returns `Err(SchemaError)` when an id is not a string, a value does not
 * fit its type or the schema declares a column called `id`.
 */
export function writeRowsToParquet(
  rows: readonly IdentifiedRow[],
  schema: TableSchema,
  options: ParquetWriteOptions = {},
): Result<Uint8Array, SchemaError | FlushError> {
  const problem = schemaProblem(schema, ROW_ID);
  if (problem) return Err(problem);
  const arrowSchema = rowsArrowSchema(schema);
  arrowSchema.metadata.set(SCHEMA_METADATA_KEY, JSON.stringify(schema));
  arrowSchema.metadata.set(FORMAT_METADATA_KEY, "rows-v1");
  const capacity = Math.max(1, Math.min(SLICE, rows.length));
  const names = schema.columns.map((c) => c.name);
  const builders = schema.columns.map((c) => new ColumnBuilder(c.type, capacity));
  const ids = new Array<string>(capacity).fill("");
  // Record batches of 64k rows reuse the same arrays; Parquet row groups are cut independently.
  const fill = (writer: IpcWriter): Result<void, SchemaError> => {
    for (let from = 0; from < rows.length || from === 0; from += SLICE) {
      const n = Math.min(rows.length, from + SLICE) - from;
      for (let i = 0; i < n; i++) {
        const row = rows[from + i] as IdentifiedRow;
        if (typeof row.id !== "string")
          return Err(new SchemaError(`row ${from + i}: the id must be a string`));
        ids[i] = row.id;
        for (let c = 0; c < names.length; c++) {
          const name = names[c] as string;
          if (!Object.hasOwn(row.values, name)) continue;
          const value = row.values[name] ?? null;
          if (!(builders[c] as ColumnBuilder).set(i, value))
            return Err(misfit(schema, name, value));
        }
      }
      writer.beginBatch(n);
      writeUtf8(writer, n, ids);
      for (const builder of builders) builder.write(writer, n);
      writer.endBatch();
    }
    return Ok(undefined);
  };
  return writeParquetStream(arrowSchema, 4096 + 64 * capacity, fill, options);
}

/** How {@link readParquetToRows} types the columns of a file. */
export interface ReadRowsOptions {
  /** The schema to read the columns with; columns it names that the file lacks read as null. */
  readonly schema?: TableSchema;
  /** The table name for a file without a recorded schema (written by another engine). */
  readonly table?: string;
}

/**
 * Reads a rows file: written by `writeRowsToParquet`, or by another engine (DuckDB, Spark)
 * with an `id` column. Columns are typed by `options.schema`, else by the schema recorded in the
 * file, else inferred (text -> string, numbers -> number, booleans -> boolean). Returns
 * `Err(SchemaError)` for bytes that are not Parquet, a missing `id` column, unsupported column
 * types or values that do not fit their type.
 */
export function readParquetToRows(
  bytes: Uint8Array,
  options: ReadRowsOptions = {},
): Result<RowsFile, SchemaError | FlushError> {
  const problem = options.schema && schemaProblem(options.schema, ROW_ID);
  if (problem) return Err(problem);
  const read = parquetToArrow(bytes);
  if (!read.ok) return read;
  const table = read.value;
  const idVector = table.getChild("id");
  if (!idVector) return Err(new SchemaError('not a rows file: no "id" column'));
  const schema = fileSchema(table, ROW_ID, options.table ?? "", options.schema);
  if (!schema.ok) return schema;
  try {
    const ids = readColumn(idVector);
    const columns = schema.value.columns.map((c) => {
      const vector = table.getChild(c.name);
      return vector ? readColumn(vector) : [];
    });
    // Table.numRows sums over the record batches on every call; read it once.
    const n = table.numRows;
    const rows: IdentifiedRow[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id === null || id === undefined) return Err(new SchemaError(`row ${i} has a null id`));
      const values: Record<string, Row[string]> = {};
      for (let c = 0; c < columns.length; c++) {
        const def = schema.value.columns[c] as TableSchema["columns"][number];
        const raw = columns[c]?.[i] ?? null;
        if (raw === null || typeof raw === def.type) {
          setOwn(values, def.name, raw as ColumnValue);
          continue;
        }
        const value = loadValue(def.type, raw, `${schema.value.table}.${def.name}`);
        if (!value.ok) return value;
        setOwn(values, def.name, value.value);
      }
      rows[i] = { id: String(id), values };
    }
    return Ok({ schema: schema.value, rows });
  } catch (cause) {
    return Err(new SchemaError("the rows file holds invalid UTF-8 text", { cause }));
  }
}
