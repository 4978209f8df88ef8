/**
 * @module wire/reader
 * A reader of the protobuf binary wire format over one byte array, for the message shapes of
 * this protocol: varints, fixed64, length-delimited fields, and skipping unknown fields.
 * Every read checks bounds and throws a `Failure` (never reads past the end).
 */
import { fail, within } from "./failure.js";
import { WireType } from "./tags.js";
import { readAscii, readUtf8 } from "./utf8.js";

// Nested groups deeper than this are refused rather than risking the stack.
const MAX_GROUP_DEPTH = 32;

const TWO_32 = 0x1_0000_0000;
// Short ASCII strings (table, column and client names) repeat across a batch and between
// batches: a small direct-mapped cache returns the string already built instead of allocating
// a new one. Strings are immutable and decoding is synchronous, so one cache serves every reader.
const INTERN_MAX = 48;
const INTERN_SLOTS = 256;
const interned: (string | undefined)[] = new Array(INTERN_SLOTS);

/** A cursor over `bytes`; `pos` is the next byte to read. */
export class WireReader {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Reads a varint and returns its low 32 bits as an unsigned number. Tags, lengths, enums,
   * `uint32` and `bool` all fit; longer varints (up to 10 bytes) are consumed and truncated as
   * protobuf specifies for 32-bit fields.
   */
  uint32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let byte = bytes[pos++] ?? this.truncated();
    let value = byte & 0x7f;
    if (byte < 0x80) {
      this.pos = pos;
      return value;
    }
    for (let shift = 7; shift < 35; shift += 7) {
      byte = bytes[pos++] ?? this.truncated();
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        this.pos = pos;
        return value % TWO_32;
      }
    }
    // Bytes 6 to 10 only carry bits above 32: consume them, keep the low 32 bits.
    for (let i = 5; i < 10; i++) {
      byte = bytes[pos++] ?? this.truncated();
      if (byte < 0x80) {
        this.pos = pos;
        return value % TWO_32;
      }
    }
    return fail("MALFORMED", "", "varint longer than 10 bytes");
  }

  /** Reads a `fixed64` as an unsigned bigint. */
  fixed64(): bigint {
    const pos = this.pos;
    if (pos + 8 > this.bytes.length) this.truncated();
    this.pos = pos + 8;
    return this.view.getBigUint64(pos, true);
  }

  /** Reads a length prefix and returns the end offset of the field it announces. */
  lengthEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.bytes.length) this.truncated();
    return end;
  }

  /** Reads a length-delimited UTF-8 string, rejecting invalid UTF-8 in the field `name`. */
  string(name: string): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    if (end - start <= INTERN_MAX) {
      const shared = this.intern(start, end);
      if (shared !== undefined) return shared;
    }
    try {
      return readUtf8(this.bytes, start, end);
    } catch (error) {
      return within(error, name);
    }
  }

  /** Like {@link string}, for values that rarely repeat (row ids): skips the intern cache. */
  uniqueString(name: string): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    try {
      return readUtf8(this.bytes, start, end);
    } catch (error) {
      return within(error, name);
    }
  }

  /**
   * Reads a tag (field number times 8 plus wire type). A tag wider than 32 bits, field number 0
   * or a wire type above 5 is malformed.
   */
  tag(): number {
    const start = this.pos;
    const tag = this.uint32();
    const width = this.pos - start;
    if (width > 5 || (width === 5 && (this.bytes[this.pos - 1] as number) > 0x0f)) {
      fail("MALFORMED", "", "tag wider than 32 bits");
    }
    if (tag < 8 || (tag & 7) > WireType.I32) fail("MALFORMED", "", `invalid tag ${tag}`);
    return tag;
  }

  /** Reads a `bool`: any non-zero varint is true. */
  bool(): boolean {
    let any = 0;
    for (let i = 0; i < 10; i++) {
      const byte = this.bytes[this.pos++] ?? this.truncated();
      any |= byte & 0x7f;
      if (byte < 0x80) return any !== 0;
    }
    return fail("MALFORMED", "", "varint longer than 10 bytes");
  }

  /**
   * Skips a field the reader does not know. Messages of this protocol number their fields
   * 1..`fieldCount` without gaps, so a known number arriving with the wrong wire type is
   * malformed rather than unknown.
   */
  skipUnknown(tag: number, fieldCount: number): void {
    if (tag >>> 3 <= fieldCount)
      fail("MALFORMED", "", `field ${tag >>> 3} has wire type ${tag & 7}`);
    this.skip(tag & 7, tag >>> 3, 0);
  }

  private skip(wireType: number, field: number, depth: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.uint32();
        return;
      case WireType.I64:
        this.advance(8);
        return;
      case WireType.LEN:
        this.pos = this.lengthEnd();
        return;
      case WireType.I32:
        this.advance(4);
        return;
      case WireType.START_GROUP:
        if (depth >= MAX_GROUP_DEPTH) fail("MALFORMED", "", "groups nested too deeply");
        for (;;) {
          const tag = this.tag();
          if ((tag & 7) === WireType.END_GROUP) {
            if (tag >>> 3 !== field) fail("MALFORMED", "", "mismatched end of group");
            return;
          }
          this.skip(tag & 7, tag >>> 3, depth + 1);
        }
      default:
        fail("MALFORMED", "", `unexpected wire type ${wireType}`);
    }
  }

  /** The ASCII string in `bytes[start, end)`, shared with earlier reads; undefined if not ASCII. */
  private intern(start: number, end: number): string | undefined {
    const bytes = this.bytes;
    let hash = end - start;
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number;
      if (byte >= 0x80) return undefined;
      hash = Math.imul(hash ^ byte, 0x0100_0193);
    }
    const slot = (hash ^ (hash >>> 16)) & (INTERN_SLOTS - 1);
    const cached = interned[slot];
    if (cached !== undefined && cached.length === end - start) {
      let same = true;
      for (let i = start; i < end; i++) {
        if (cached.charCodeAt(i - start) !== bytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const text = readAscii(bytes, start, end);
    interned[slot] = text;
    return text;
  }

  private advance(n: number): void {
    if (this.pos + n > this.bytes.length) this.truncated();
    this.pos += n;
  }

  private truncated(): never {
    return fail("TRUNCATED", "", `message ends at byte ${this.bytes.length}`);
  }
}

/** Fails unless a nested message ended exactly where its length said it would. */
export function expectEnd(reader: WireReader, end: number): void {
  if (reader.pos !== end) fail("MALFORMED", "", "a field runs past the end of its message");
}
