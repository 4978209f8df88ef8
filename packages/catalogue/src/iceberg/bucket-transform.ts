/**
 * @module iceberg/bucket-transform
 * Iceberg's `bucket[N]` partition transform (spec "Bucket Transform Details" and Appendix B):
 * a 32-bit Murmur3 hash (x86 variant, seed 0) of the value's bytes, then
 * `(hash & Integer.MAX_VALUE) % N`. Strings hash their UTF-8 bytes; `int` and `long` hash the
 * 8 little-endian bytes of the value as a long, so promoting a column keeps its buckets.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();
const scratch = new Uint8Array(768);

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function mixK(k: number): number {
  return Math.imul(rotl(Math.imul(k, C1), 15), C2);
}

/** Murmur3 x86 32-bit hash of `bytes` with seed 0, as a signed 32-bit integer (Java's `int`). */
export function murmur3Hash32(bytes: Uint8Array): number {
  return murmur3Range(bytes, bytes.length);
}

/** Murmur3 (x86, 32-bit, seed 0) of the first `length` bytes of `bytes`. */
function murmur3Range(bytes: Uint8Array, length: number): number {
  let h = 0;
  const blocks = length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i << 2;
    const k =
      (bytes[o] as number) |
      ((bytes[o + 1] as number) << 8) |
      ((bytes[o + 2] as number) << 16) |
      ((bytes[o + 3] as number) << 24);
    h ^= mixK(k);
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks << 2;
  const rest = length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= (bytes[tail + 2] as number) << 16;
    if (rest >= 2) k ^= (bytes[tail + 1] as number) << 8;
    k ^= bytes[tail] as number;
    h ^= mixK(k);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** The Iceberg hash of a string: Murmur3 of its UTF-8 bytes. */
export function hashString(value: string): number {
  // Short strings (row ids) are encoded into one reused buffer instead of a new array each.
  if (value.length * 3 <= scratch.length) {
    const { written } = encoder.encodeInto(value, scratch);
    return murmur3Range(scratch, written);
  }
  return murmur3Hash32(encoder.encode(value));
}

/**
 * The Iceberg hash of an `int` or `long`: Murmur3 of the value's 8 little-endian bytes.
 * `value` must be an integer (a `number` within the safe range, or a `bigint`).
 */
export function hashLong(value: number | bigint): number {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt.asIntN(64, BigInt(value)), true);
  return murmur3Hash32(bytes);
}

/** The bucket of a hash for `buckets` buckets: `(hash & Integer.MAX_VALUE) % buckets`. */
export function bucketOfHash(hash: number, buckets: number): number {
  return (hash & 0x7fffffff) % buckets;
}

/** The `bucket[N]` value of a string, e.g. `bucketString("iceberg", 16)`. */
export function bucketString(value: string, buckets: number): number {
  return bucketOfHash(hashString(value), buckets);
}

/**
 * The number of buckets of a `bucket[N]` transform string, or `undefined` when `transform` is
 * not a bucket transform with a positive `N`.
 */
export function bucketCount(transform: string): number | undefined {
  if (bucketCounts.has(transform)) return bucketCounts.get(transform);
  const n = parseBucketCount(transform);
  if (bucketCounts.size < 256) bucketCounts.set(transform, n);
  return n;
}

/** Parsed transforms: a spec has a few, asked about once per row. */
const bucketCounts = new Map<string, number | undefined>();

function parseBucketCount(transform: string): number | undefined {
  const match = /^bucket\[(\d+)\]$/.exec(transform);
  if (!match) return undefined;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n > 0 && n <= 0x7fffffff ? n : undefined;
}
