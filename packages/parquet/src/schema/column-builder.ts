/**
 * @module schema/column-builder
 * Filling one Arrow column from LakeSync values, typed by the column's declared type: strings and
 * JSON text as UTF-8, numbers as Float64, booleans as Bool. Unset entries are null. A builder
 * holds one record batch at a time and is reused for the next, so a file of a million rows
 * allocates its arrays once; one class for every type keeps `set` a single inlinable method.
 */
import type { ColumnType, ColumnValue } from "@lakesync/core";
import { writeFixed } from "../arrow/ipc-columns.js";
import type { IpcWriter } from "../arrow/ipc-writer.js";
import { writeUtf8 } from "../arrow/utf8-column.js";

const TEXT = 0;
const JSON_TEXT = 1;
const NUMBER = 2;
const BOOLEAN = 3;

const kindOf = (type: ColumnType) =>
  type === "number" ? NUMBER : type === "boolean" ? BOOLEAN : type === "json" ? JSON_TEXT : TEXT;

/** `value` as JSON text; undefined when it has none (undefined, a function, a bigint, a cycle). */
function jsonText(value: unknown): string | undefined {
  try {
    const text: unknown = JSON.stringify(value);
    return typeof text === "string" ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Collects the values of one column for up to `capacity` rows of a batch. */
export class ColumnBuilder {
  readonly #kind: number;
  readonly #valid: Uint8Array;
  readonly #texts: (string | null)[];
  readonly #numbers: Float64Array;
  readonly #bits: Uint8Array;

  /** A builder for a column of `type` holding up to `capacity` rows per batch. */
  constructor(type: ColumnType, capacity: number) {
    this.#kind = kindOf(type);
    const bytes = (capacity + 7) >> 3;
    this.#valid = new Uint8Array(bytes);
    const text = this.#kind === TEXT || this.#kind === JSON_TEXT;
    this.#texts = text ? new Array<string | null>(capacity).fill(null) : [];
    this.#numbers = new Float64Array(this.#kind === NUMBER ? capacity : 0);
    this.#bits = new Uint8Array(this.#kind === BOOLEAN ? bytes : 0);
  }

  /** Stores `value` for row `i`; false (nothing stored) when it does not fit the type. */
  set(i: number, value: ColumnValue): boolean {
    const byte = i >> 3;
    const mask = 1 << (i & 7);
    const valid = this.#valid;
    if (value === null) {
      valid[byte] = (valid[byte] as number) & ~mask;
      if (this.#kind <= JSON_TEXT) this.#texts[i] = null;
      return true;
    }
    switch (this.#kind) {
      case TEXT:
        if (typeof value !== "string") return false;
        this.#texts[i] = value;
        break;
      case JSON_TEXT: {
        const text = jsonText(value);
        if (text === undefined) return false;
        this.#texts[i] = text;
        break;
      }
      case NUMBER:
        if (typeof value !== "number") return false;
        this.#numbers[i] = value;
        break;
      default: {
        if (typeof value !== "boolean") return false;
        const bits = this.#bits;
        bits[byte] = value ? (bits[byte] as number) | mask : (bits[byte] as number) & ~mask;
      }
    }
    valid[byte] = (valid[byte] as number) | mask;
    return true;
  }

  /** Writes rows `0..n)` as the next column of `writer`'s batch, then empties the builder. */
  write(writer: IpcWriter, n: number): void {
    const validity = this.#valid;
    if (this.#kind <= JSON_TEXT) {
      writeUtf8(writer, n, this.#texts, validity);
      this.#texts.fill(null, 0, n);
    } else if (this.#kind === NUMBER) {
      writeFixed(writer, n, this.#numbers.subarray(0, n), validity);
      this.#numbers.fill(0, 0, n);
    } else {
      writeFixed(writer, n, this.#bits.subarray(0, (n + 7) >> 3), validity);
      this.#bits.fill(0);
    }
    validity.fill(0);
  }
}
