/**
 * @module arrow/ipc-columns
 * Writing whole fixed-width, boolean and binary columns into an {@link IpcWriter} batch, with
 * their validity bitmaps (text is in `utf8-column`).
 */
import type { IpcWriter } from "./ipc-writer.js";

/** Set bits among the first `n` bits of `bitmap`. */
export function countValid(bitmap: Uint8Array, n: number): number {
  let valid = 0;
  const whole = n >> 3;
  for (let k = 0; k < whole; k++) {
    let b = bitmap[k] as number;
    b -= (b >> 1) & 0x55;
    b = (b & 0x33) + ((b >> 2) & 0x33);
    valid += (b + (b >> 4)) & 0x0f;
  }
  for (let i = whole << 3; i < n; i++) valid += ((bitmap[i >> 3] as number) >> (i & 7)) & 1;
  return valid;
}

/** A validity bitmap for `n` values (bit set = valid), or undefined when none is null. */
export function validityOf(n: number, isValid: (i: number) => boolean): Uint8Array | undefined {
  let bitmap: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    if (isValid(i)) continue;
    if (!bitmap) bitmap = new Uint8Array((n + 7) >> 3).fill(0xff);
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(1 << (i & 7));
  }
  return bitmap;
}

/**
 * Declares the node of a column of `n` entries and writes its validity buffer: the first `n`
 * bits of `validity`, or no buffer when `validity` is absent or has no clear bit.
 */
export function writeNode(writer: IpcWriter, n: number, validity?: Uint8Array): void {
  const valid = validity ? countValid(validity, n) : n;
  writer.node(n, n - valid);
  if (validity && valid < n) writer.copy(validity.subarray(0, (n + 7) >> 3));
  else writer.empty();
}

/**
 * Writes a fixed-width column (numbers, 64-bit integers, days…) or a bit-packed Bool column:
 * `data` is its values buffer, `validity` (when some entry may be null) its validity bits.
 */
export function writeFixed(
  writer: IpcWriter,
  n: number,
  data: ArrayBufferView,
  validity?: Uint8Array,
): void {
  writeNode(writer, n, validity);
  writer.copy(data);
}

/** Writes a Binary column of `values[0..n)`, null where `validity` has a clear bit. */
export function writeBinary(
  writer: IpcWriter,
  n: number,
  values: readonly (Uint8Array | null | undefined)[],
  validity?: Uint8Array,
): void {
  writeNode(writer, n, validity);
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i]?.byteLength ?? 0;
  const offsetsAt = writer.buffer(4 * (n + 1));
  const dataAt = writer.buffer(total);
  const bytes = writer.bytes;
  // The writer's buffer starts at byte 0 of its ArrayBuffer and buffers are 8-aligned.
  const offsets = new Int32Array(bytes.buffer, offsetsAt, n + 1);
  let pos = 0;
  offsets[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) {
      bytes.set(v, dataAt + pos);
      pos += v.byteLength;
    }
    offsets[i + 1] = pos;
  }
}
