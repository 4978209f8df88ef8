/**
 * @module delta/json-value
 * Validation and comparison of column values.
 */
import equal from "fast-deep-equal";
import { ValidationError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import type { ColumnValue } from "./types.js";

const MAX_DEPTH = 64;

/**
 * Checks that `value` is a JSON value that can be stored in a column: null, a string, a boolean,
 * a finite number, or arrays and plain objects of those (at most 64 levels deep). Returns
 * `Err(ValidationError)` naming the offending path otherwise.
 */
export function checkColumnValue(
  value: unknown,
  path = "value",
): Result<ColumnValue, ValidationError> {
  const problem = findProblem(value, path, 0);
  return problem === null ? Ok(value as ColumnValue) : Err(new ValidationError(problem));
}

function findProblem(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path}: nested deeper than ${MAX_DEPTH} levels`;
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `${path}: ${value} is not a finite number`;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const inner = findProblem(value[i], `${path}[${i}]`, depth + 1);
          if (inner !== null) return inner;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return `${path}: ${proto?.constructor?.name ?? "object"} is not a plain JSON object`;
      }
      for (const [key, inner] of Object.entries(value)) {
        const problem = findProblem(inner, `${path}.${key}`, depth + 1);
        if (problem !== null) return problem;
      }
      return null;
    }
    default:
      return `${path}: ${typeof value} is not a JSON value`;
  }
}

/** Deep equality of column values; object key order is ignored. */
export function columnValuesEqual(a: ColumnValue, b: ColumnValue): boolean {
  return equal(a, b);
}
