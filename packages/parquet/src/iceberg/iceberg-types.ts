/**
 * @module iceberg/iceberg-types
 * The Iceberg primitive types a LakeSync data file uses: their Arrow types (following the spec's
 * Parquet mapping) and which JS values fit each.
 */
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Float32,
  Float64,
  Int32,
  Int64,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
} from "apache-arrow";

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

/** `v` as a signed 64-bit integer: a bigint in range or a safe integer; else undefined. */
export function asInt64(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return BigInt.asIntN(64, v) === v ? v : undefined;
  return typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : undefined;
}

/** Whether the non-null value `v` fits a column of `type` (see {@link IcebergColumn}). */
export function fitsIcebergType(type: IcebergColumnType, v: unknown): boolean {
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
