/**
 * @module iceberg/field-id-columns
 * Parquet files whose columns carry Iceberg field ids: each Arrow field gets the
 * `PARQUET:field_id` metadata, which parquet-wasm (arrow-rs) writes as the Parquet schema's
 * `field_id`, so Iceberg readers (Spark, Trino, DuckDB, PyIceberg, icebird) match columns by id.
 * Column types follow the spec's Parquet mapping for the primitive types LakeSync uses.
 */
import { Err, type FlushError, type Result, SchemaError } from "@lakesync/core";
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Schema,
  Table,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
  type Vector,
} from "apache-arrow";
import { boolVector, recordBatch, utf8Vector, validityOf } from "../arrow/build-vectors.js";
import { arrowToParquet } from "../arrow/parquet-io.js";
import type { ParquetWriteOptions } from "../write-options.js";

/** The Iceberg primitive types a column can have here. */
export type IcebergColumnType =
  | "boolean"
  | "int"
  | "long"
  | "float"
  | "double"
  | "string"
  | "binary"
  | "date"
  | "time"
  | "timestamp"
  | "timestamptz";

/**
 * One column: its name, Iceberg field id and type, whether it is required, and one value per
 * row (`null` for null). Values: `boolean`; `int` and `date` (days since 1970-01-01) as 32-bit
 * integers; `long`, `time` and timestamps (microseconds) as safe integers or bigints; `float` and
 * `double` as numbers; `string` as strings; `binary` as `Uint8Array`.
 */
export interface IcebergColumn {
  readonly name: string;
  readonly fieldId: number;
  readonly type: IcebergColumnType;
  readonly required: boolean;
  readonly values: readonly unknown[];
}

/** The Arrow type of an Iceberg column type (timestamptz is UTC-adjusted microseconds). */
export function icebergArrowType(type: IcebergColumnType): DataType {
  switch (type) {
    case "boolean":
      return new Bool();
    case "int":
      return new Int32();
    case "long":
      return new Int64();
    case "float":
      return new Float32();
    case "double":
      return new Float64();
    case "binary":
      return new Binary();
    case "date":
      return new DateDay();
    case "time":
      return new TimeMicrosecond();
    case "timestamp":
      return new TimestampMicrosecond();
    case "timestamptz":
      return new TimestampMicrosecond("UTC");
    default:
      return new Utf8();
  }
}

const isInt32 = (v: unknown): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
const asInt64 = (v: unknown): bigint | undefined => {
  if (typeof v === "bigint") return BigInt.asIntN(64, v) === v ? v : undefined;
  return typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : undefined;
};

function fits(type: IcebergColumnType, v: unknown): boolean {
  switch (type) {
    case "boolean":
      return typeof v === "boolean";
    case "int":
    case "date":
      return isInt32(v);
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      return asInt64(v) !== undefined;
    case "float":
    case "double":
      return typeof v === "number";
    case "string":
      return typeof v === "string";
    case "binary":
      return v instanceof Uint8Array;
  }
}

function vectorOf(column: IcebergColumn, n: number): Vector {
  const at = (i: number) => column.values[i] ?? null;
  const validity = validityOf(n, (i) => at(i) !== null);
  const nullCount = validity
    ? column.values.filter((v) => v === null || v === undefined).length
    : 0;
  const base = { length: n, nullCount, ...(validity ? { nullBitmap: validity } : {}) };
  switch (column.type) {
    case "string":
      return utf8Vector(n, (i) => at(i) as string | null);
    case "boolean": {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++)
        if (at(i) === true) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
      return boolVector(n, bits, validity);
    }
    case "binary": {
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++)
        offsets[i + 1] = (offsets[i] as number) + ((at(i) as Uint8Array | null)?.length ?? 0);
      const data = new Uint8Array(offsets[n] as number);
      for (let i = 0; i < n; i++) {
        const v = at(i) as Uint8Array | null;
        if (v) data.set(v, offsets[i] as number);
      }
      return makeVector(makeData({ type: new Binary(), ...base, valueOffsets: offsets, data }));
    }
    case "int":
    case "date": {
      const data = Int32Array.from({ length: n }, (_, i) => (at(i) as number | null) ?? 0);
      if (column.type === "int") return makeVector(makeData({ type: new Int32(), ...base, data }));
      return makeVector(makeData({ type: new DateDay(), ...base, data }));
    }
    case "float":
      return makeVector(
        makeData({
          type: new Float32(),
          ...base,
          data: Float32Array.from({ length: n }, (_, i) => (at(i) as number | null) ?? 0),
        }),
      );
    case "double":
      return makeVector(
        makeData({
          type: new Float64(),
          ...base,
          data: Float64Array.from({ length: n }, (_, i) => (at(i) as number | null) ?? 0),
        }),
      );
    case "long":
      return makeVector(makeData({ type: new Int64(), ...base, data: int64s(column, n) }));
    case "time":
      return makeVector(
        makeData({ type: new TimeMicrosecond(), ...base, data: int64s(column, n) }),
      );
    case "timestamp":
    case "timestamptz":
      return makeVector(
        makeData({
          type: new TimestampMicrosecond(column.type === "timestamptz" ? "UTC" : null),
          ...base,
          data: int64s(column, n),
        }),
      );
  }
}

function int64s(column: IcebergColumn, n: number): BigInt64Array {
  return BigInt64Array.from({ length: n }, (_, i) => asInt64(column.values[i]) ?? 0n);
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
  const names = new Set<string>();
  const ids = new Set<number>();
  for (const column of columns) {
    if (names.has(column.name) || ids.has(column.fieldId))
      return Err(
        new SchemaError(`column "${column.name}" (field id ${column.fieldId}) is declared twice`),
      );
    names.add(column.name);
    ids.add(column.fieldId);
    if (column.values.length !== rowCount)
      return Err(
        new SchemaError(
          `column "${column.name}" has ${column.values.length} values for ${rowCount} rows`,
        ),
      );
    for (let i = 0; i < rowCount; i++) {
      const v = column.values[i];
      if (v === null || v === undefined) {
        if (column.required)
          return Err(new SchemaError(`required column "${column.name}" is null in row ${i}`));
      } else if (!fits(column.type, v)) {
        return Err(
          new SchemaError(
            `row ${i}: ${typeof v} value does not fit "${column.name}" (${column.type})`,
          ),
        );
      }
    }
  }
  const fields = columns.map(
    (c) =>
      new Field(
        c.name,
        icebergArrowType(c.type),
        !c.required,
        new Map([["PARQUET:field_id", String(c.fieldId)]]),
      ),
  );
  const schema = new Schema(fields);
  const table = new Table([
    recordBatch(
      schema,
      rowCount,
      columns.map((c) => vectorOf(c, rowCount)),
    ),
  ]);
  return arrowToParquet(table, options);
}
