/**
 * @module iceberg/field-id-columns
 * Parquet files whose columns carry Iceberg field ids: each Arrow field gets the
 * `PARQUET:field_id` metadata, which parquet-wasm (arrow-rs) writes as the Parquet schema's
 * `field_id`, so Iceberg readers (Spark, Trino, DuckDB, PyIceberg, icebird) match columns by id.
 */
import { Err, type FlushError, Ok, type Result, SchemaError } from "@lakesync/core";
import { Field, Schema } from "apache-arrow";
import type { IpcWriter } from "../arrow/ipc-writer.js";
import { writeParquetStream } from "../arrow/parquet-io.js";
import type { ParquetWriteOptions } from "../write-options.js";
import { writeIcebergColumn } from "./iceberg-column-writer.js";
import { fitsIcebergType, type IcebergColumn, icebergArrowType } from "./iceberg-types.js";

/**
 * Why `columns` cannot make a file of `rowCount` rows, or undefined when they can: a column
 * with the wrong number of values, a null in a required column, a value that does not fit its
 * type, or two columns sharing a name or field id.
 */
export function columnsProblem(
  columns: readonly IcebergColumn[],
  rowCount: number,
): SchemaError | undefined {
  const names = new Set<string>();
  const ids = new Set<number>();
  for (const column of columns) {
    if (names.has(column.name) || ids.has(column.fieldId))
      return new SchemaError(
        `column "${column.name}" (field id ${column.fieldId}) is declared twice`,
      );
    names.add(column.name);
    ids.add(column.fieldId);
    if (column.values.length !== rowCount)
      return new SchemaError(
        `column "${column.name}" has ${column.values.length} values for ${rowCount} rows`,
      );
    for (let i = 0; i < rowCount; i++) {
      const v = column.values[i];
      if (v === null || v === undefined) {
        if (column.required)
          return new SchemaError(`required column "${column.name}" is null in row ${i}`);
      } else if (!fitsIcebergType(column.type, v)) {
        return new SchemaError(
          `row ${i}: ${typeof v} value does not fit "${column.name}" (${column.type})`,
        );
      }
    }
  }
  return undefined;
}

/**
 * Writes `columns` (each with `rowCount` values) as a Parquet file whose columns carry their
 * Iceberg field ids. Returns `Err(SchemaError)` when a column has the wrong number of values,
 * a required column holds a null, a value does not fit its type, or two columns share a name or
 * field id; `Err(FlushError)` when Parquet is not initialised or writing fails.
 */
export function writeIcebergParquet(
  columns: readonly IcebergColumn[],
  rowCount: number,
  options: ParquetWriteOptions = {},
): Result<Uint8Array, SchemaError | FlushError> {
  const problem = columnsProblem(columns, rowCount);
  if (problem) return Err(problem);
  return writeParquetStream(
    icebergArrowSchema(columns),
    ipcCapacity(columns.length, rowCount),
    fillIcebergBatch(columns, rowCount),
    options,
  );
}

/** The Arrow schema of `columns`: each field carries its Iceberg id as `PARQUET:field_id`. */
export function icebergArrowSchema(columns: readonly Omit<IcebergColumn, "values">[]): Schema {
  return new Schema(
    columns.map(
      (c) =>
        new Field(
          c.name,
          icebergArrowType(c.type),
          !c.required,
          new Map([["PARQUET:field_id", String(c.fieldId)]]),
        ),
    ),
  );
}

/** A first guess of the IPC bytes a batch of `rowCount` rows in `columnCount` columns needs. */
export const ipcCapacity = (columnCount: number, rowCount: number): number =>
  4096 + 16 * columnCount * rowCount;

/** Writes checked `columns` as one record batch of `rowCount` rows. */
export function fillIcebergBatch(
  columns: readonly IcebergColumn[],
  rowCount: number,
): (writer: IpcWriter) => Result<void, never> {
  return (writer) => {
    writer.beginBatch(rowCount);
    for (const column of columns) writeIcebergColumn(writer, column, rowCount);
    writer.endBatch();
    return Ok(undefined);
  };
}
