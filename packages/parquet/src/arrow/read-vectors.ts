/**
 * @module arrow/read-vectors
 * Reading whole Arrow columns into plain arrays, chunk by chunk. `Vector.get(i)` decodes one
 * string per call and searches for the chunk each time; decoding a chunk's UTF-8 buffer at once
 * and slicing it is several times faster. Unusual types fall back to `get`.
 * These functions throw on invalid UTF-8; callers turn that into an `Err`.
 */
import { type Data, makeVector, Type, type Vector } from "apache-arrow";

// ignoreBOM keeps a leading U+FEFF that belongs to the first string; fatal rejects bad UTF-8.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** How a column's strings are produced. */
export interface ReadOptions {
  /**
   * The column repeats a few values (ops, table names, column names): equal strings are shared,
   * so a million rows hold a handful of strings instead of a million copies.
   */
  readonly repeated?: boolean;
}

/** A function returning one shared instance per distinct string (at most `limit` kept). */
function interner(limit = 4_096): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const known = seen.get(s);
    if (known !== undefined) return known;
    if (seen.size < limit) seen.set(s, s);
    return s;
  };
}

/** The validity bitmap of a chunk, or undefined when no entry is null. */
function nullsOf(data: Data): Uint8Array | undefined {
  const bitmap = data.nullBitmap;
  return data.nullCount > 0 && bitmap && bitmap.length > 0 ? bitmap : undefined;
}

const isValid = (bitmap: Uint8Array | undefined, bit: number) =>
  !bitmap || (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1;

/** Writes the strings of a Utf8 chunk to `out` from `at` (null where null). */
function readUtf8(data: Data, out: unknown[], at: number, shared?: (s: string) => string): void {
  const offsets = data.valueOffsets as Int32Array;
  const first = offsets[data.offset] as number;
  const bytes = (data.values as Uint8Array).subarray(first, offsets[data.offset + data.length]);
  const text = decoder.decode(bytes);
  const nulls = nullsOf(data);
  const ascii = text.length === bytes.length;
  let char = 0;
  let byte = 0;
  for (let j = 0; j < data.length; j++) {
    const end = (offsets[data.offset + j + 1] as number) - first;
    const from = ascii ? (offsets[data.offset + j] as number) - first : char;
    if (ascii) char = end;
    // Otherwise walk the characters to the byte where the string ends.
    while (!ascii && byte < end) {
      const c = text.charCodeAt(char);
      if (c < 0x80) byte += 1;
      else if (c < 0x800) byte += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        byte += 4;
        char++;
      } else byte += 3;
      char++;
    }
    if (!isValid(nulls, data.offset + j)) out[at + j] = null;
    else out[at + j] = shared ? shared(text.substring(from, char)) : text.substring(from, char);
  }
}

function readChunk(data: Data, out: unknown[], at: number, shared?: (s: string) => string): void {
  const values = data.values as ArrayLike<unknown>;
  const nulls = nullsOf(data);
  switch (data.typeId) {
    case Type.Utf8:
      readUtf8(data, out, at, shared);
      return;
    case Type.Bool:
      for (let j = 0, bit = data.offset; j < data.length; j++, bit++) {
        const on = (((values[bit >> 3] as number) >> (bit & 7)) & 1) === 1;
        out[at + j] = isValid(nulls, bit) ? on : null;
      }
      return;
    case Type.Int:
    case Type.Float:
      // Half floats are stored as raw Uint16 bits and need Arrow's conversion.
      if (data.type.toString() !== "Float16") {
        for (let j = 0, i = data.offset; j < data.length; j++, i++)
          out[at + j] = isValid(nulls, i) ? values[i] : null;
        return;
      }
  }
  const vector = makeVector(data);
  for (let j = 0; j < data.length; j++) out[at + j] = vector.get(j);
}

/**
 * Every value of `vector` as plain JavaScript: strings, numbers, booleans, bigints for 64-bit
 * integers, null for nulls; other types as `Vector.get` returns them.
 */
export function readColumn(vector: Vector, options: ReadOptions = {}): unknown[] {
  const out = new Array<unknown>(vector.length);
  const shared = options.repeated ? interner() : undefined;
  let at = 0;
  for (const data of vector.data) {
    readChunk(data, out, at, shared);
    at += data.length;
  }
  return out;
}

/** A list column, flattened: row `i` holds `items[from[i]]` up to (not including) `items[to[i]]`. */
export interface FlatLists {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly items: readonly unknown[];
}

/** Reads a list column such as `List<Utf8>`; a null list reads as empty. */
export function readLists(vector: Vector, options: ReadOptions = {}): FlatLists {
  const from = new Int32Array(vector.length);
  const to = new Int32Array(vector.length);
  const items: unknown[] = [];
  const shared = options.repeated ? interner() : undefined;
  let row = 0;
  for (const data of vector.data) {
    const child = data.children[0];
    const offsets = data.valueOffsets as Int32Array | undefined;
    if (data.typeId !== Type.List || !child || !offsets) {
      const lists = makeVector(data);
      for (let j = 0; j < data.length; j++, row++) {
        from[row] = items.length;
        const list = lists.get(j) as Vector | null;
        if (list) for (const item of list) items.push(item);
        to[row] = items.length;
      }
      continue;
    }
    const base = items.length;
    items.length = base + child.length;
    readChunk(child, items, base, shared);
    const nulls = nullsOf(data);
    for (let j = 0; j < data.length; j++, row++) {
      const start = base + (offsets[data.offset + j] as number);
      from[row] = start;
      to[row] = isValid(nulls, data.offset + j)
        ? base + (offsets[data.offset + j + 1] as number)
        : start;
    }
  }
  return { from, to, items };
}
