/**
 * @module schema/column-builder
 * Filling one Arrow column from LakeSync values, typed by the column's declared type: strings and
 * JSON text as UTF-8, numbers as Float64, booleans as Bool. Unset entries are null.
 */
import type { ColumnType, ColumnValue } from "@lakesync/core";
import type { Vector } from "apache-arrow";
import { boolVector, float64Vector, utf8Vector, validityOf } from "../arrow/build-vectors.js";

/** Collects the values of one column for `n` rows. */
export interface ColumnBuilder {
  /** Stores `value` for row `i`; false (nothing stored) when it does not fit the type. */
  set(i: number, value: ColumnValue): boolean;
  /** The column as an Arrow vector. */
  finish(): Vector;
}

/** A builder for a column of `type` with `n` rows. */
export function columnBuilder(type: ColumnType, n: number): ColumnBuilder {
  switch (type) {
    case "number":
      return numberBuilder(n);
    case "boolean":
      return booleanBuilder(n);
    default:
      return textBuilder(type, n);
  }
}

function textBuilder(type: ColumnType, n: number): ColumnBuilder {
  const values = new Array<string | null>(n).fill(null);
  return {
    set(i, value) {
      if (value === null) values[i] = null;
      else if (type === "json") values[i] = JSON.stringify(value);
      else if (type === "string" && typeof value === "string") values[i] = value;
      else return false;
      return true;
    },
    finish: () => utf8Vector(n, (i) => values[i] ?? null),
  };
}

function numberBuilder(n: number): ColumnBuilder {
  const values = new Float64Array(n);
  const valid = new Uint8Array(n);
  return {
    set(i, value) {
      if (value === null) valid[i] = 0;
      else if (typeof value === "number") {
        values[i] = value;
        valid[i] = 1;
      } else return false;
      return true;
    },
    finish: () =>
      float64Vector(
        values,
        validityOf(n, (i) => valid[i] === 1),
      ),
  };
}

function booleanBuilder(n: number): ColumnBuilder {
  const bits = new Uint8Array((n + 7) >> 3);
  const valid = new Uint8Array(n);
  return {
    set(i, value) {
      if (value === null) valid[i] = 0;
      else if (typeof value === "boolean") {
        const mask = 1 << (i & 7);
        bits[i >> 3] = value ? (bits[i >> 3] as number) | mask : (bits[i >> 3] as number) & ~mask;
        valid[i] = 1;
      } else return false;
      return true;
    },
    finish: () =>
      boolVector(
        n,
        bits,
        validityOf(n, (i) => valid[i] === 1),
      ),
  };
}
