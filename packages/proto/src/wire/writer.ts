/**
 * @module wire/writer
 * A writer of the protobuf binary wire format into a buffer of exactly the message's size.
 * Encoders size a message first (see `varintSize`, `utf8Length`), allocate once, then write:
 * no growing, no copying, and the same bytes protobuf-es writes (fields in number order, fields
 * holding their default value omitted).
 */
import { DELTA_ID_BYTES, writeDeltaIdHex } from "./hex.js";
import { writeUtf8 } from "./utf8.js";

/** The number of bytes of `value` (an unsigned 32-bit integer) as a varint. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x20_0000) return 3;
  if (value < 0x1000_0000) return 4;
  return 5;
}

/** The size of a length-delimited field with a one-byte tag and a body of `length` bytes. */
export function delimitedSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/** A cursor over a buffer allocated for one message. */
export class WireWriter {
  readonly bytes: Uint8Array;
  pos = 0;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Writes an unsigned 32-bit integer as a varint (also used for tags and lengths). */
  varint(value: number): void {
    const bytes = this.bytes;
    let v = value;
    while (v >= 0x80) {
      bytes[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    bytes[this.pos++] = v;
  }

  /** Writes a `fixed64` (little-endian). */
  fixed64(value: bigint): void {
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
  }

  /** Writes a length-prefixed string whose UTF-8 length the caller has measured. */
  string(text: string, byteLength: number): void {
    this.varint(byteLength);
    if (byteLength === text.length) {
      const bytes = this.bytes;
      let pos = this.pos;
      for (let i = 0; i < byteLength; i++) bytes[pos++] = text.charCodeAt(i);
      this.pos = pos;
    } else {
      this.pos = writeUtf8(this.bytes, this.pos, text);
    }
  }

  /** Writes a delta id (checked hex) as a length-prefixed 32-byte field body. */
  deltaId(hex: string): void {
    this.varint(DELTA_ID_BYTES);
    writeDeltaIdHex(this.bytes, this.pos, hex);
    this.pos += DELTA_ID_BYTES;
  }
}
