/**
 * @module arrow/build-vectors
 * Fast construction of Arrow vectors. Arrow's generic `vectorFromArray` goes through builders at
 * about a microsecond per value; writing buffers directly is an order of magnitude faster, which
 * decides flush throughput. Strings are read through an index function rather than copied into
 * arrays, and copied byte by byte while ASCII rather than joined: large temporary arrays and
 * strings land in the old generation and make the garbage collector trace the whole heap.
 */
import {
  Bool,
  type Data,
  Field,
  Float64,
  List,
  makeData,
  makeVector,
  RecordBatch,
  type Schema,
  Struct,
  Utf8,
  type Vector,
} from "apache-arrow";

const encoder = new TextEncoder();

/** A validity bitmap for `n` values (bit set = valid), or undefined when none is null. */
export function validityOf(n: number, isValid: (i: number) => boolean): Uint8Array | undefined {
  let bitmap: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    if (isValid(i)) continue;
    if (!bitmap) {
      bitmap = new Uint8Array((n + 7) >> 3).fill(0xff);
    }
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(1 << (i & 7));
  }
  return bitmap;
}

/** A string source: the `n` entries of a column, read by index, so no array is copied. */
export type StringsAt = (i: number) => string | null;

// Strings of the column being encoded, read once through `at`; kept between calls so no large
// array is allocated per column, and emptied after each so it holds on to nothing.
const scratch: (string | null)[] = [];

function utf8Data(n: number, at: StringsAt): Data<Utf8> {
  const offsets = new Int32Array(n + 1);
  let chars = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    scratch[i] = v;
    if (v === null) nulls++;
    else chars += v.length;
  }
  const validity = nulls > 0 ? validityOf(n, (i) => scratch[i] !== null) : undefined;
  // Copy character codes while they are ASCII (most ids and names); at the first other
  // character, re-encode the rest with TextEncoder into room for the worst case.
  let data = new Uint8Array(chars);
  let pos = 0;
  let i = 0;
  ascii: for (; i < n; i++) {
    const v = scratch[i] ?? "";
    for (let j = 0; j < v.length; j++) {
      const c = v.charCodeAt(j);
      if (c > 0x7f) break ascii;
      data[pos + j] = c;
    }
    pos += v.length;
    offsets[i + 1] = pos;
  }
  if (i < n) {
    const wide = new Uint8Array(pos + (chars - pos) * 3);
    wide.set(data.subarray(0, pos));
    for (; i < n; i++) {
      const v = scratch[i];
      if (v) pos += encoder.encodeInto(v, wide.subarray(pos)).written;
      offsets[i + 1] = pos;
    }
    data = wide.subarray(0, pos);
  }
  scratch.fill(null, 0, n);
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    ...(validity ? { nullBitmap: validity } : {}),
    valueOffsets: offsets,
    data,
  });
}

function countValid(bitmap: Uint8Array, n: number): number {
  let valid = 0;
  for (let i = 0; i < n; i++) valid += ((bitmap[i >> 3] as number) >> (i & 7)) & 1;
  return valid;
}

/** A UTF-8 vector of `n` strings, entry `i` being `at(i)` (null entries are null). */
export function utf8Vector(n: number, at: StringsAt): Vector<Utf8> {
  return makeVector(utf8Data(n, at));
}

/**
 * A non-null `List<Utf8>` vector: list `i` holds items `offsets[i]` to `offsets[i + 1] - 1`,
 * item `k` being `item(k)`.
 */
export function utf8ListVector(
  offsets: Int32Array,
  item: (k: number) => string,
): Vector<List<Utf8>> {
  return makeVector(
    makeData({
      type: new List(new Field("item", new Utf8(), false)),
      length: offsets.length - 1,
      nullCount: 0,
      valueOffsets: offsets,
      child: utf8Data(offsets[offsets.length - 1] ?? 0, item),
    }),
  );
}

/** A Float64 vector of `values`, null where `validity` (if given) has a clear bit. */
export function float64Vector(values: Float64Array, validity?: Uint8Array): Vector<Float64> {
  const n = values.length;
  return makeVector(
    makeData({
      type: new Float64(),
      length: n,
      nullCount: validity ? n - countValid(validity, n) : 0,
      ...(validity ? { nullBitmap: validity } : {}),
      data: values,
    }),
  );
}

/** A Bool vector of `n` bit-packed `bits`, null where `validity` (if given) has a clear bit. */
export function boolVector(n: number, bits: Uint8Array, validity?: Uint8Array): Vector<Bool> {
  return makeVector(
    makeData({
      type: new Bool(),
      length: n,
      nullCount: validity ? n - countValid(validity, n) : 0,
      ...(validity ? { nullBitmap: validity } : {}),
      data: bits,
    }),
  );
}

/**
 * A record batch of `length` rows with exactly `schema`'s fields (names, types, nullability);
 * `columns` holds one single-chunk vector per field, in the schema's order.
 */
export function recordBatch(
  schema: Schema,
  length: number,
  columns: readonly Vector[],
): RecordBatch {
  const children = columns.map((v) => v.data[0] ?? makeData({ type: v.type, length: 0 }));
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }),
  );
}
