/**
 * @module arrow/scratch-buffer
 * One large byte buffer lent to each Arrow stream writer in turn, so back-to-back writes of big
 * files reuse it rather than allocate a fresh one each time. A fresh allocation of a hundred
 * megabytes counts towards V8's external-memory limit and makes it mark the whole heap, which
 * with a million deltas in memory costs as much as encoding them. The spare buffer is held
 * through a `WeakRef`, so an idle process gives it back at its next full garbage collection.
 */

let spare: WeakRef<Uint8Array> | undefined;

/**
 * A buffer of at least `byteLength` bytes, starting at byte 0 of its `ArrayBuffer`, with
 * unspecified content: the spare one when it is big enough, else a new one.
 */
export function borrowBuffer(byteLength: number): Uint8Array {
  const kept = spare?.deref();
  if (kept && kept.byteLength >= byteLength) {
    spare = undefined;
    return kept;
  }
  return new Uint8Array(byteLength);
}

/**
 * Keeps `buffer` (from {@link borrowBuffer}) as the spare one, unless the spare one is bigger.
 * The caller must not use `buffer`, nor any view of it, afterwards.
 */
export function returnBuffer(buffer: Uint8Array): void {
  const kept = spare?.deref();
  if (!kept || kept.byteLength < buffer.byteLength) spare = new WeakRef(buffer);
}
