/**
 * @module iceberg/column-metrics
 * The per-column metrics of a data file's manifest entry, accumulated as its rows are written
 * (all at once, or row group by row group): value, null and NaN counts and lower/upper bounds
 * (strings and binary truncated to 16 characters or bytes, as the reference implementation's
 * default metrics do). Bounds merged over groups equal the bounds of the whole file.
 */
import type { IcebergColumn } from "@lakesync/parquet";
import { compareValues, type PrimitiveValue, serialiseValue } from "./single-value.js";
import type { IcebergPrimitive } from "./types.js";

const TRUNCATE = 16;

function truncatedUpper(value: string | Uint8Array): string | Uint8Array | undefined {
  if (typeof value === "string") {
    const points = [...value];
    if (points.length <= TRUNCATE) return value;
    for (let i = TRUNCATE - 1; i >= 0; i--) {
      const next = (points[i]?.codePointAt(0) ?? 0) + 1;
      if (next <= 0x10ffff && (next < 0xd800 || next > 0xdfff))
        return points.slice(0, i).join("") + String.fromCodePoint(next);
    }
    return undefined;
  }
  if (value.length <= TRUNCATE) return value;
  for (let i = TRUNCATE - 1; i >= 0; i--)
    if ((value[i] as number) < 0xff)
      return Uint8Array.of(...value.subarray(0, i), (value[i] as number) + 1);
  return undefined;
}

const truncatedLower = (value: PrimitiveValue): PrimitiveValue =>
  typeof value === "string"
    ? [...value].slice(0, TRUNCATE).join("")
    : value instanceof Uint8Array
      ? value.subarray(0, TRUNCATE)
      : value;

interface ColumnStats {
  readonly fieldId: number;
  readonly type: IcebergPrimitive;
  nulls: number;
  nans: number;
  lower?: PrimitiveValue;
  upper?: PrimitiveValue;
}

/** The metrics a manifest entry carries for a file's columns. */
export interface FileMetrics {
  readonly valueCounts: Map<number, number>;
  readonly nullValueCounts: Map<number, number>;
  /** Only for files with float or double columns. */
  readonly nanValueCounts?: Map<number, number>;
  readonly lowerBounds: Map<number, Uint8Array>;
  readonly upperBounds: Map<number, Uint8Array>;
}

/** Accumulates {@link FileMetrics} over the groups of rows written to one file. */
export class ColumnMetrics {
  readonly #columns: ColumnStats[];
  #rows = 0;

  /** `columns`: the file's columns (field id and Iceberg type), in the order groups give them. */
  constructor(columns: readonly { readonly fieldId: number; readonly type: string }[]) {
    this.#columns = columns.map((c) => ({
      fieldId: c.fieldId,
      type: c.type as IcebergPrimitive,
      nulls: 0,
      nans: 0,
    }));
  }

  /** Adds a group of `rowCount` rows: `columns` in the constructor's order, values checked. */
  add(columns: readonly IcebergColumn[], rowCount: number): void {
    this.#rows += rowCount;
    for (const [i, stats] of this.#columns.entries()) {
      const values = columns[i]?.values ?? [];
      for (let r = 0; r < rowCount; r++) {
        const v = values[r];
        if (v === null || v === undefined) stats.nulls++;
        else if (typeof v === "number" && Number.isNaN(v)) stats.nans++;
        else {
          const value = v as PrimitiveValue;
          if (stats.lower === undefined || compareValues(value, stats.lower) < 0)
            stats.lower = value;
          if (stats.upper === undefined || compareValues(value, stats.upper) > 0)
            stats.upper = value;
        }
      }
    }
  }

  /** The metrics of every row added so far. */
  metrics(): FileMetrics {
    const valueCounts = new Map<number, number>();
    const nullValueCounts = new Map<number, number>();
    const nanValueCounts = new Map<number, number>();
    const lowerBounds = new Map<number, Uint8Array>();
    const upperBounds = new Map<number, Uint8Array>();
    for (const stats of this.#columns) {
      const { fieldId, type } = stats;
      valueCounts.set(fieldId, this.#rows);
      nullValueCounts.set(fieldId, stats.nulls);
      if (type === "float" || type === "double") nanValueCounts.set(fieldId, stats.nans);
      // -0.0 must precede +0.0 in bounds: widen a zero bound to cover both.
      const low = stats.lower === 0 ? -0 : stats.lower;
      const high = stats.upper === 0 ? 0 : stats.upper;
      const lower = low === undefined ? undefined : serialiseValue(type, truncatedLower(low));
      const upperValue =
        high === undefined
          ? undefined
          : typeof high === "string" || high instanceof Uint8Array
            ? truncatedUpper(high)
            : high;
      const upper = upperValue === undefined ? undefined : serialiseValue(type, upperValue);
      if (lower) lowerBounds.set(fieldId, lower);
      if (upper) upperBounds.set(fieldId, upper);
    }
    return {
      valueCounts,
      nullValueCounts,
      ...(nanValueCounts.size > 0 ? { nanValueCounts } : {}),
      lowerBounds,
      upperBounds,
    };
  }
}
