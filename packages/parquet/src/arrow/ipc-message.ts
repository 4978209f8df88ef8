/**
 * @module arrow/ipc-message
 * The framing of an Arrow IPC stream (format version 5): the schema message (encoded by
 * apache-arrow), record-batch message headers (written here: a fixed flatbuffer layout, so no
 * builder objects per batch), and the end-of-stream marker. Every message starts 8-byte aligned.
 */
import { Message, type Schema } from "apache-arrow";

/** The marker every encapsulated message starts with (then its metadata length). */
const CONTINUATION = 0xffffffff;
/** `MetadataVersion.V5`. */
const V5 = 4;
/** `MessageHeader.RecordBatch`. */
const RECORD_BATCH = 3;

/** Bytes a record-batch message header takes: the prefix, then the flatbuffer. */
export function batchHeaderSize(nodes: number, buffers: number): number {
  return 8 + 88 + 16 * (nodes + buffers);
}

/**
 * The schema message: prefix, flatbuffer (`Message` with a `Schema` header, field and schema
 * metadata included) and padding to 8 bytes.
 */
export function schemaMessage(schema: Schema): Uint8Array {
  const flatbuffer = Message.encode(Message.from(schema));
  const size = (flatbuffer.byteLength + 7) & ~7;
  const out = new Uint8Array(8 + size);
  const view = new DataView(out.buffer);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, size, true);
  out.set(flatbuffer, 8);
  return out;
}

/**
 * Writes a record-batch message header at `at` (8-aligned, {@link batchHeaderSize} bytes):
 * `length` rows, `nodes` as (length, null count) pairs, `buffers` as (body offset, byte length)
 * pairs, and the body length. The flatbuffer, by byte offset from its start:
 *
 * ```
 *  0  root offset -> 16
 *  4  Message vtable     [12, 20 | version 4, header_type 6, header 16, bodyLength 8]
 * 16  Message            vtable at -12 | version i16 | header_type u8 | bodyLength i64 @24 | header @32 -> 48
 * 36  RecordBatch vtable [10, 24 | length 8, nodes 16, buffers 20], padded to 48
 * 48  RecordBatch        vtable at -12 | length i64 @56 | nodes @64 -> 76 | buffers @68 -> 84 + 16n
 * 76  node count, then the nodes from 80 (16 bytes each); buffer count, then the buffers
 * ```
 */
export function writeBatchHeader(
  view: DataView,
  at: number,
  length: number,
  nodes: readonly number[],
  buffers: readonly number[],
  bodyLength: number,
): void {
  const nodeCount = nodes.length / 2;
  const bufferCount = buffers.length / 2;
  const size = 88 + 16 * (nodeCount + bufferCount);
  view.setUint32(at, CONTINUATION, true);
  view.setInt32(at + 4, size, true);
  const f = at + 8;
  const u16 = (offset: number, value: number) => view.setUint16(f + offset, value, true);
  const u16s = (offset: number, values: readonly number[]) => {
    for (let k = 0; k < values.length; k++) u16(offset + 2 * k, values[k] as number);
  };
  const u32 = (offset: number, value: number) => view.setUint32(f + offset, value, true);
  const i64 = (offset: number, value: number) => view.setBigInt64(f + offset, BigInt(value), true);
  u32(0, 16);
  u16s(4, [12, 20, 4, 6, 16, 8]);
  u32(16, 12);
  view.setInt16(f + 20, V5, true);
  view.setUint8(f + 22, RECORD_BATCH);
  view.setUint8(f + 23, 0);
  i64(24, bodyLength);
  u32(32, 16);
  u16s(36, [10, 24, 8, 16, 20]);
  u16(46, 0);
  u32(48, 12);
  u32(52, 0);
  i64(56, length);
  u32(64, 12);
  u32(68, 16 + 16 * nodeCount);
  u32(72, 0);
  u32(76, nodeCount);
  for (let k = 0; k < nodes.length; k++) i64(80 + 8 * k, nodes[k] as number);
  const b = 80 + 16 * nodeCount;
  u32(b, 0);
  u32(b + 4, bufferCount);
  for (let k = 0; k < buffers.length; k++) i64(b + 8 + 8 * k, buffers[k] as number);
}

/** Writes the end-of-stream marker (8 bytes) at `at`. */
export function writeEndOfStream(view: DataView, at: number): void {
  view.setUint32(at, CONTINUATION, true);
  view.setInt32(at + 4, 0, true);
}
