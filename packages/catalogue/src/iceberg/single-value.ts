/**
 * @module iceberg/single-value
 * The spec's binary single-value serialisation (Appendix D), used for the lower and upper bounds
 * of manifests and manifest lists, and the ordering those bounds follow: numbers numerically,
 * strings by their UTF-8 bytes (Unicode code point order), binary by unsigned bytes.
 */
import type { IcebergPrimitive } from "./types.js";

/** A value of a primitive column as this package handles it (integers may be bigints). */
export type PrimitiveValue = string | number | bigint | boolean | Uint8Array;

const encoder = new TextEncoder();
const HIGH_UNITS = /[\uD800-\uFFFF]/;
const decoder = new TextDecoder();

function fixedBytes(size: number, write: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  write(new DataView(bytes.buffer));
  return bytes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Serialises one value of `type`: `boolean` 1 byte, `int`/`date` 4 bytes and
 * `long`/`time`/`timestamp`/`timestamptz` 8 bytes little-endian, `float`/`double` IEEE
 * little-endian, `string` UTF-8, `uuid` 16 big-endian bytes, `binary`/`fixed` as is. Returns
 * `undefined` for decimals and values that do not fit the type.
 */
export function serialiseValue(
  type: IcebergPrimitive,
  value: PrimitiveValue,
): Uint8Array | undefined {
  switch (type) {
    case "boolean":
      return typeof value === "boolean" ? Uint8Array.of(value ? 1 : 0) : undefined;
    case "int":
    case "date":
      return typeof value === "number" &&
        Number.isInteger(value) &&
        value >= -(2 ** 31) &&
        value < 2 ** 31
        ? fixedBytes(4, (v) => v.setInt32(0, value, true))
        : undefined;
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz": {
      const n =
        typeof value === "bigint"
          ? value
          : Number.isSafeInteger(value)
            ? BigInt(value as number)
            : undefined;
      if (n === undefined || BigInt.asIntN(64, n) !== n) return undefined;
      return fixedBytes(8, (v) => v.setBigInt64(0, n, true));
    }
    case "float":
      return typeof value === "number"
        ? fixedBytes(4, (v) => v.setFloat32(0, value, true))
        : undefined;
    case "double":
      return typeof value === "number"
        ? fixedBytes(8, (v) => v.setFloat64(0, value, true))
        : undefined;
    case "string":
      return typeof value === "string" ? encoder.encode(value) : undefined;
    case "uuid":
      return typeof value === "string" && UUID.test(value)
        ? Uint8Array.from(value.replaceAll("-", "").match(/../g) ?? [], (h) =>
            Number.parseInt(h, 16),
          )
        : undefined;
    default:
      if (value instanceof Uint8Array && (type === "binary" || type.startsWith("fixed[")))
        return value;
      return undefined;
  }
}

/**
 * Reads a value written by {@link serialiseValue}: integers up to 32 bits and doubles as
 * numbers, 64-bit integers as bigints, strings, booleans, bytes. `undefined` for decimals or
 * bytes of the wrong length.
 */
export function deserialiseValue(
  type: IcebergPrimitive,
  bytes: Uint8Array,
): PrimitiveValue | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case "boolean":
      return bytes.length === 1 ? bytes[0] !== 0 : undefined;
    case "int":
    case "date":
      return bytes.length === 4 ? view.getInt32(0, true) : undefined;
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      return bytes.length === 8 ? view.getBigInt64(0, true) : undefined;
    case "float":
      return bytes.length === 4 ? view.getFloat32(0, true) : undefined;
    case "double":
      return bytes.length === 8 ? view.getFloat64(0, true) : undefined;
    case "string":
      return decoder.decode(bytes);
    case "uuid":
      return bytes.length === 16
        ? [...bytes]
            .map((b) => b.toString(16).padStart(2, "0"))
            .join("")
            .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5")
        : undefined;
    default:
      return type === "binary" || type.startsWith("fixed[") ? bytes : undefined;
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Orders two values of one type as Iceberg does: numerically (bigints and numbers mixed),
 * strings by UTF-8 bytes, bytes unsigned lexicographically, `false` before `true`.
 */
export function compareValues(a: PrimitiveValue, b: PrimitiveValue): number {
  if (typeof a === "string" && typeof b === "string") {
    if (a === b) return 0;
    // UTF-16 code-unit order is UTF-8 byte order until a surrogate or a unit above one appears.
    if (!HIGH_UNITS.test(a) && !HIGH_UNITS.test(b)) return a < b ? -1 : 1;
    return compareBytes(encoder.encode(a), encoder.encode(b));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (
    (typeof a === "number" || typeof a === "bigint") &&
    (typeof b === "number" || typeof b === "bigint")
  )
    return a < b
      ? -1
      : a > b
        ? 1
        : Object.is(a, -0) && Object.is(b, 0)
          ? -1
          : Object.is(a, 0) && Object.is(b, -0)
            ? 1
            : 0;
  return 0;
}
