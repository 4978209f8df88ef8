/**
 * @module iceberg/partition
 * Partition tuples: the type of a spec's partition struct (spec "Partition Transforms": bucket,
 * year, month and hour give `int`, day gives `date`, identity, truncate and void keep the source
 * type), computing a row's tuple, and a stable key to compare tuples by.
 */
import { Err, Ok, type Result, setOwn } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { bucketCount, bucketOfHash, hashLong, hashString } from "./bucket-transform.js";
import type { PartitionValue } from "./content-file.js";
import type { IcebergPrimitive, IcebergSchema, PartitionField, PartitionSpec } from "./types.js";

/** One field of a partition struct with the type of its values. */
export interface TypedPartitionField {
  readonly field: PartitionField;
  /** The partition field name made a valid Avro name (`a-b` → `a_x2Db`). */
  readonly avroName: string;
  readonly type: IcebergPrimitive;
  /** The name of the schema column the field is computed from. */
  readonly sourceName: string;
  readonly sourceType: IcebergPrimitive;
}

/** A name made valid for Avro as the reference implementation does (`_x` + hex for others). */
export function avroName(name: string): string {
  let out = "";
  for (const [i, ch] of [...name].entries()) {
    if (/[A-Za-z_]/.test(ch) || (i > 0 && /[0-9]/.test(ch))) out += ch;
    else if (/[0-9]/.test(ch)) out += `_${ch}`;
    else out += `_x${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}`;
  }
  return out || "_";
}

function resultType(transform: string, source: IcebergPrimitive): IcebergPrimitive | undefined {
  if (transform === "identity" || transform === "void" || /^truncate\[\d+\]$/.test(transform))
    return source;
  if (bucketCount(transform) !== undefined) return "int";
  if (transform === "year" || transform === "month" || transform === "hour") return "int";
  if (transform === "day") return "date";
  return undefined;
}

/**
 * The typed fields of `spec` over `schema`. Returns `Err(CatalogueError)` (`INVALID_INPUT`) for
 * a source field that is missing, nested or not primitive, or an unknown transform.
 */
export function partitionFields(
  spec: PartitionSpec,
  schema: IcebergSchema,
): Result<TypedPartitionField[], CatalogueError> {
  const out: TypedPartitionField[] = [];
  for (const field of spec.fields) {
    const source = schema.fields.find((f) => f.id === field["source-id"]);
    if (!source || typeof source.type !== "string")
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `partition field "${field.name}": source ${field["source-id"]} is not a top-level primitive column`,
        ),
      );
    const type = resultType(field.transform, source.type);
    if (!type)
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `partition field "${field.name}": unknown transform "${field.transform}"`,
        ),
      );
    out.push({
      field,
      avroName: avroName(field.name),
      type,
      sourceName: source.name,
      sourceType: source.type,
    });
  }
  return Ok(out);
}

const MICROS_PER_HOUR = 3_600_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function toDays(type: IcebergPrimitive, value: number | bigint): number {
  return type === "date" ? Number(value) : Number(floorDiv(BigInt(value), MICROS_PER_DAY));
}

function timeTransform(transform: string, type: IcebergPrimitive, value: number | bigint): number {
  if (transform === "hour") return Number(floorDiv(BigInt(value), MICROS_PER_HOUR));
  const days = toDays(type, value);
  if (transform === "day") return days;
  const date = new Date(days * 86_400_000);
  const years = date.getUTCFullYear() - 1970;
  return transform === "year" ? years : years * 12 + date.getUTCMonth();
}

function applyTransform(field: TypedPartitionField, value: unknown): PartitionValue | undefined {
  if (value === null || value === undefined) return null;
  const t = field.field.transform;
  if (t === "void") return null;
  const integer =
    typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value));
  const buckets = bucketCount(t);
  if (buckets !== undefined) {
    if (typeof value === "string") return bucketOfHash(hashString(value), buckets);
    if (integer && (field.sourceType === "int" || field.sourceType === "long"))
      return bucketOfHash(hashLong(value as number | bigint), buckets);
    return undefined;
  }
  const width = /^truncate\[(\d+)\]$/.exec(t);
  if (width) {
    const w = Number(width[1]);
    if (typeof value === "string") return [...value].slice(0, w).join("");
    if (typeof value === "number" && Number.isSafeInteger(value))
      return value - (((value % w) + w) % w);
    return undefined;
  }
  if (t === "identity") {
    if (typeof value === "bigint")
      return Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
    return typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "boolean" ||
      value instanceof Uint8Array
      ? value
      : undefined;
  }
  if (integer && ["date", "timestamp", "timestamptz"].includes(field.sourceType))
    return timeTransform(t, field.sourceType, value as number | bigint);
  return undefined;
}

/**
 * The partition tuple of `row` (column name → value) under `fields`. Returns
 * `Err(CatalogueError)` (`INVALID_INPUT`) when a source value does not suit its transform.
 */
export function partitionOf(
  fields: readonly TypedPartitionField[],
  row: Readonly<Record<string, unknown>>,
): Result<Record<string, PartitionValue>, CatalogueError> {
  const tuple: Record<string, PartitionValue> = {};
  for (const field of fields) {
    const source = Object.hasOwn(row, field.sourceName) ? row[field.sourceName] : null;
    const value = applyTransform(field, source);
    if (value === undefined)
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `partition field "${field.field.name}": ${typeof source} value of "${field.sourceName}" does not suit ${field.field.transform}`,
        ),
      );
    setOwn(tuple, field.field.name, value);
  }
  return Ok(tuple);
}

/** A string equal for equal partition tuples (bytes compared by content), for grouping. */
export function partitionKey(partition: Readonly<Record<string, PartitionValue>>): string {
  const keys = Object.keys(partition);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined) {
    // The common case (one bucket field), without sorting or copying: the same string.
    const v = partition[only] ?? null;
    if (!(v instanceof Uint8Array)) return JSON.stringify([[only, v]]);
  }
  return JSON.stringify(
    keys.sort().map((k) => {
      const v = partition[k] ?? null;
      return [k, v instanceof Uint8Array ? { bytes: [...v] } : v];
    }),
  );
}
