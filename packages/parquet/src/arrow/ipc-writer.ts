/**
 * @module arrow/ipc-writer
 * An Arrow IPC stream written straight into one growing byte buffer: the schema message, then
 * record batches whose buffers column writers fill in place, then the end marker. Building
 * apache-arrow vectors and serialising them with `tableToIPC` allocated every column twice (the
 * vectors, then the joined stream) and was a third of the time of a Parquet write; here each
 * value is written once, where parquet-wasm will read it.
 */
import { type DataType, type Field, type Schema, Type } from "apache-arrow";
import {
  batchHeaderSize,
  schemaMessage,
  writeBatchHeader,
  writeEndOfStream,
} from "./ipc-message.js";
import { borrowBuffer, returnBuffer } from "./scratch-buffer.js";

/** Field nodes and buffers one field contributes to a record batch (children included). */
function shapeOf(type: DataType): { nodes: number; buffers: number } {
  const children = (type.children ?? []) as Field[];
  let nodes = 1;
  let buffers = 2;
  switch (type.typeId) {
    case Type.Utf8:
    case Type.Binary:
      buffers = 3;
      break;
    case Type.Struct:
      buffers = 1;
      break;
    case Type.List:
    case Type.Bool:
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
      break;
    default:
      throw new TypeError(`the IPC writer does not write ${type} columns`);
  }
  for (const child of children) {
    const inner = shapeOf(child.type);
    nodes += inner.nodes;
    buffers += inner.buffers;
  }
  return { nodes, buffers };
}

const pad8 = (n: number) => (n + 7) & ~7;

/**
 * Writes one Arrow IPC stream. Per batch: {@link beginBatch}, then for every field of the schema
 * in order (children after their parent) one {@link node} and its buffers, then
 * {@link endBatch}; {@link finish} returns the stream. Buffer positions returned by the writer are
 * absolute offsets into {@link bytes}, which is replaced when the buffer grows: read it again
 * after every call that reserves room. Misuse (a wrong number of nodes or buffers) throws.
 * The buffer is borrowed from `scratch-buffer`; {@link release} gives it back once the stream
 * has been read.
 */
export class IpcWriter {
  #bytes: Uint8Array;
  #pos: number;
  // The end of the room given to the open buffer (0 when none is open): kept when growing.
  #open = 0;
  readonly #nodeCount: number;
  readonly #bufferCount: number;
  readonly #nodes: number[] = [];
  readonly #buffers: number[] = [];
  #batchAt = -1;
  #bodyAt = 0;
  #length = 0;

  /** Starts a stream of `schema`; `capacity` is the expected size in bytes (it grows as needed). */
  constructor(schema: Schema, capacity = 1 << 16) {
    const head = schemaMessage(schema);
    let nodes = 0;
    let buffers = 0;
    for (const field of schema.fields) {
      const shape = shapeOf(field.type);
      nodes += shape.nodes;
      buffers += shape.buffers;
    }
    this.#nodeCount = nodes;
    this.#bufferCount = buffers;
    this.#bytes = borrowBuffer(Math.max(capacity, head.byteLength + 1024));
    this.#bytes.set(head);
    this.#pos = head.byteLength;
  }

  /** The stream's bytes so far (and spare room); replaced when the writer grows. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#pos;
  }

  /** Makes room for the stream to reach `total` bytes without growing again. */
  reserve(total: number): void {
    if (total <= this.#bytes.byteLength) return;
    const grown = borrowBuffer(total);
    grown.set(this.#bytes.subarray(0, Math.max(this.#pos, this.#open)));
    returnBuffer(this.#bytes);
    this.#bytes = grown;
  }

  #ensure(end: number): void {
    if (end > this.#bytes.byteLength) this.reserve(Math.max(end, this.#bytes.byteLength * 2));
  }

  /** Starts a record batch of `length` rows. */
  beginBatch(length: number): void {
    if (this.#batchAt >= 0) throw new Error("IpcWriter: a batch is already open");
    this.#batchAt = this.#pos;
    this.#length = length;
    this.#pos += batchHeaderSize(this.#nodeCount, this.#bufferCount);
    this.#bodyAt = this.#pos;
    this.#ensure(this.#pos);
  }

  /** Declares the next field node: its `length` (entries) and how many are null. */
  node(length: number, nullCount: number): void {
    this.#nodes.push(length, nullCount);
  }

  /**
   * Reserves the next buffer of `byteLength` bytes and returns its absolute offset in
   * {@link bytes} (8-aligned). Its content is unspecified unless `zeroed`; the padding after it
   * is zeroed.
   */
  buffer(byteLength: number, zeroed = false): number {
    const at = this.#pos;
    const end = at + pad8(byteLength);
    this.#ensure(end);
    this.#bytes.fill(0, zeroed ? at : at + byteLength, end);
    this.#buffers.push(at - this.#bodyAt, byteLength);
    this.#pos = end;
    return at;
  }

  /** Declares an absent buffer (a validity bitmap of a column without nulls). */
  empty(): void {
    this.#buffers.push(this.#pos - this.#bodyAt, 0);
  }

  /** Appends a copy of `data` as the next buffer. */
  copy(data: ArrayBufferView): void {
    const source = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // Reserve first: reserving may replace the buffer.
    const at = this.buffer(source.byteLength);
    this.#bytes.set(source, at);
  }

  /**
   * Starts a buffer whose length is known only once written (UTF-8 text): returns its offset,
   * with room for `byteLength` bytes; {@link grow} makes more, {@link closeBuffer} ends it.
   */
  openBuffer(byteLength: number): number {
    this.grow(this.#pos + byteLength);
    return this.#pos;
  }

  /** Makes room up to absolute offset `end` in the open buffer (what is written there is kept). */
  grow(end: number): void {
    this.#ensure(end);
    this.#open = Math.max(this.#open, end);
  }

  /** Ends the buffer opened at `at`, `byteLength` bytes long. */
  closeBuffer(at: number, byteLength: number): void {
    this.#pos = at;
    this.#open = 0;
    this.buffer(byteLength);
  }

  /** Ends the record batch: writes its header. */
  endBatch(): void {
    if (
      this.#batchAt < 0 ||
      this.#nodes.length !== 2 * this.#nodeCount ||
      this.#buffers.length !== 2 * this.#bufferCount
    )
      throw new Error(
        `IpcWriter: a batch needs ${this.#nodeCount} nodes and ${this.#bufferCount} buffers, got ${this.#nodes.length / 2} and ${this.#buffers.length / 2}`,
      );
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset);
    const body = this.#pos - this.#bodyAt;
    writeBatchHeader(view, this.#batchAt, this.#length, this.#nodes, this.#buffers, body);
    this.#nodes.length = 0;
    this.#buffers.length = 0;
    this.#batchAt = -1;
  }

  /** Ends the stream and returns it (a view of {@link bytes}). */
  finish(): Uint8Array {
    if (this.#batchAt >= 0) throw new Error("IpcWriter: a batch is still open");
    this.#ensure(this.#pos + 8);
    writeEndOfStream(new DataView(this.#bytes.buffer, this.#bytes.byteOffset), this.#pos);
    this.#pos += 8;
    return this.#bytes.subarray(0, this.#pos);
  }

  /**
   * Gives the writer's buffer back for the next writer to reuse: the stream returned by
   * {@link finish} must not be read afterwards, and the writer not used again.
   */
  release(): void {
    returnBuffer(this.#bytes);
    this.#bytes = new Uint8Array(0);
  }
}
