/**
 * @module duckdb/query-result
 * What a query returns: column names and types, and rows as plain objects whose values are
 * normalised for JavaScript callers, or the same data as an Apache Arrow table.
 *
 * Normalisation (DuckDB type → value): `NULL` → `null`; `BOOLEAN` → boolean; `VARCHAR`/`UUID`
 * → string; floating and `DECIMAL` → number; integers (`TINYINT` … `HUGEINT`) → number when it
 * is a safe integer, otherwise `bigint` (never silently rounded); `DATE`, `TIMESTAMP`,
 * `TIMESTAMPTZ` → `Date`; `BLOB` → `Uint8Array`; lists → arrays and structs → objects, with
 * their values normalised the same way; anything else (intervals, times) → its string form.
 */
import { type Table, tableFromJSON } from "apache-arrow";

/** A normalised value of a result row (see the module comment). */
export type QueryValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | readonly QueryValue[]
  | { readonly [key: string]: QueryValue };

/** A result row: column name → value. */
export type QueryRow = Readonly<Record<string, QueryValue>>;

/** The rows of a query with their columns, in order. */
export interface QueryResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly QueryRow[];
}

/** A value DuckDB's JS conversion produced, normalised (see the module comment). */
export function normaliseValue(value: unknown): QueryValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "number":
    case "string":
      return value;
    case "bigint":
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value;
    case "object":
      if (value instanceof Date || value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.map(normaliseValue);
      if (
        Object.getPrototypeOf(value) === Object.prototype ||
        Object.getPrototypeOf(value) === null
      ) {
        const out: Record<string, QueryValue> = {};
        for (const [k, v] of Object.entries(value)) out[k] = normaliseValue(v);
        return out;
      }
      return String(value);
    default:
      return String(value);
  }
}

/**
 * The rows of `result` as an Apache Arrow table (types inferred from the normalised values;
 * a `bigint` column becomes `Int64`, a `Date` column `Date`).
 */
export function toArrow(result: QueryResult): Table {
  return tableFromJSON(result.rows.map((row) => ({ ...row })) as Record<string, unknown>[]);
}

/** A value as JSON-friendly data: bigints and dates as strings, bytes as arrays. */
export function jsonValue(value: QueryValue): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonValue(v as QueryValue);
    return out;
  }
  return value;
}
