/**
 * @module arrow/utf8-column
 * Writing text columns into an {@link IpcWriter} batch. Strings are joined into pieces of about
 * 16k characters and each piece is encoded by one `TextEncoder.encodeInto` call: for ASCII (ids,
 * names, most JSON) that copies at memory speed, where a loop over characters costs nanoseconds
 * each, and a piece is young garbage, cheap to collect. A piece holding other characters is
 * encoded again string by string, to find where each string ends.
 */
import { writeNode } from "./ipc-columns.js";
import type { IpcWriter } from "./ipc-writer.js";

const encoder = new TextEncoder();
const PIECE = 16_384;

/**
 * Encodes the joined `strings[a..b)` (`piece`) at `dataAt + pos`, sets their end offsets and
 * returns the new position.
 */
function encodePiece(
  writer: IpcWriter,
  strings: readonly (string | null | undefined)[],
  a: number,
  b: number,
  piece: string,
  offsetsAt: number,
  dataAt: number,
  pos: number,
): number {
  const start = dataAt + pos;
  writer.grow(start + piece.length);
  let bytes = writer.bytes;
  const { read } = encoder.encodeInto(piece, bytes.subarray(start, start + piece.length));
  // The writer's buffer starts at byte 0 of its ArrayBuffer and buffers are 8-aligned, so the
  // offsets are viewed in place (after any growth).
  let offsets = new Int32Array(bytes.buffer, offsetsAt, b + 1);
  if (read === piece.length) {
    // Every character took one byte.
    for (let i = a; i < b; i++) {
      pos += strings[i]?.length ?? 0;
      offsets[i + 1] = pos;
    }
    return pos;
  }
  // At most three bytes per UTF-16 code unit.
  writer.grow(start + 3 * piece.length);
  bytes = writer.bytes;
  offsets = new Int32Array(bytes.buffer, offsetsAt, b + 1);
  for (let i = a; i < b; i++) {
    const s = strings[i];
    if (s) pos += encoder.encodeInto(s, bytes.subarray(dataAt + pos)).written;
    offsets[i + 1] = pos;
  }
  return pos;
}

/**
 * Writes a Utf8 column of `strings[0..n)`: null where `validity` (if given) has a clear bit,
 * and a null string in `strings` takes no bytes.
 */
export function writeUtf8(
  writer: IpcWriter,
  n: number,
  strings: readonly (string | null | undefined)[],
  validity?: Uint8Array,
): void {
  writeNode(writer, n, validity);
  const offsetsAt = writer.buffer(4 * (n + 1));
  const dataAt = writer.openBuffer(0);
  new Int32Array(writer.bytes.buffer, offsetsAt, 1)[0] = 0;
  let pos = 0;
  let a = 0;
  let piece = "";
  for (let i = 0; i < n; i++) {
    // Concatenation makes a rope; encodeInto flattens it in one copy.
    piece += strings[i] ?? "";
    if (piece.length >= PIECE || i === n - 1) {
      pos = encodePiece(writer, strings, a, i + 1, piece, offsetsAt, dataAt, pos);
      a = i + 1;
      piece = "";
    }
  }
  writer.closeBuffer(dataAt, pos);
}

/**
 * Writes a non-null `List<Utf8>` column of `offsets.length - 1` lists: list `i` holds
 * `items[offsets[i]]` up to (not including) `items[offsets[i + 1]]`.
 */
export function writeUtf8List(
  writer: IpcWriter,
  offsets: Int32Array,
  items: readonly string[],
): void {
  const n = offsets.length - 1;
  writer.node(n, 0);
  writer.empty();
  writer.copy(offsets);
  writeUtf8(writer, offsets[n] ?? 0, items);
}
