/**
 * @module lakesync/cell-codec
 * Column values to and from what the layout's Parquet files hold: strings, doubles and booleans
 * as they are, JSON as its text, `null`-typed columns as null; HLCs as signed 64-bit longs.
 */
import {
  type ColumnType,
  type ColumnValue,
  Err,
  type HLCTimestamp,
  Ok,
  type Result,
  SchemaError,
  toHLC,
  valueFitsType,
} from "@lakesync/core";
import { CatalogueError } from "../errors.js";

/** A value as a Parquet column of the layout holds it. */
export type StoredCell = string | number | boolean | null;

/**
 * The stored form of `value` in a column of `type`. `Err(SchemaError)` when the value does not
 * fit the type (core's `valueFitsType`), naming `where`.
 */
export function encodeCell(
  type: ColumnType,
  value: ColumnValue,
  where: string,
): Result<StoredCell, SchemaError> {
  if (!valueFitsType(type, value))
    return Err(new SchemaError(`${where} is ${type}, got ${JSON.stringify(value)}`));
  if (value === null) return Ok(null);
  if (type === "json") return Ok(JSON.stringify(value));
  return Ok(value as StoredCell);
}

/**
 * The column value of a stored cell of `type`: JSON text is parsed (text that is not JSON, which
 * only another writer could leave, is returned as it is), 64-bit integers become numbers.
 */
export function decodeCell(type: ColumnType, raw: unknown): ColumnValue {
  if (raw === null || raw === undefined || type === "null") return null;
  if (type === "json" && typeof raw === "string") {
    try {
      return JSON.parse(raw) as ColumnValue;
    } catch {
      return raw;
    }
  }
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  return String(raw);
}

/** An HLC as an Iceberg `long` (its two's-complement reading above 2^63 - 1). */
export function hlcToLong(hlc: HLCTimestamp): bigint {
  return BigInt.asIntN(64, hlc);
}

/** An HLC from an Iceberg `long`; `Err(CatalogueError)` (`INVALID_INPUT`) for a non-integer. */
export function longToHlc(value: unknown, where: string): Result<HLCTimestamp, CatalogueError> {
  const n =
    typeof value === "bigint"
      ? value
      : typeof value === "number" && Number.isSafeInteger(value)
        ? BigInt(value)
        : undefined;
  if (n === undefined)
    return Err(new CatalogueError("INVALID_INPUT", `${where}: ${String(value)} is not an HLC`));
  const hlc = toHLC(BigInt.asUintN(64, n));
  return hlc.ok
    ? hlc
    : Err(
        new CatalogueError("INVALID_INPUT", `${where}: ${hlc.error.message}`, { cause: hlc.error }),
      );
}
