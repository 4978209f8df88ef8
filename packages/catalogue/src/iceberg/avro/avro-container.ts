/**
 * @module iceberg/avro/avro-container
 * Avro object container files (Avro 1.11 spec, "Object Container Files"), written and read
 * without streams or `fs` so the same code runs in Node and Cloudflare Workers: the magic
 * `Obj\x01`, a metadata map (`avro.schema`, `avro.codec` and the caller's keys), a 16-byte
 * sync marker, then blocks of records. Records are encoded and decoded by `avro-datum`'s
 * interpreter from the raw JSON schema, which is also what `avro.schema` holds, so attributes
 * such as Iceberg's `field-id` survive (no code generation: Workers forbid it). Codecs: `null` and `deflate` (raw DEFLATE via `CompressionStream`).
 */

import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../../errors.js";
import {
  AvroReader,
  type AvroType,
  AvroWriter,
  decodeDatum,
  encodeDatum,
  resolveSchema,
} from "./avro-datum.js";

/** The codecs this module writes and reads. */
export type AvroCodec = "null" | "deflate";

/** Options of {@link writeAvroContainer}. */
export interface AvroWriteOptions {
  /** Block compression; `null` (none, the default, read by every Avro reader) or `deflate`. */
  readonly codec?: AvroCodec;
  /** Extra file metadata (Iceberg keeps `schema`, `partition-spec`, `content`… here). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Records per block (default 4096). */
  readonly blockRecords?: number;
  /** The 16-byte sync marker; random by default. */
  readonly syncMarker?: Uint8Array;
}

/** An Avro container's content. */
export interface AvroContainer {
  /** The writer's schema (the parsed `avro.schema`). */
  readonly schema: unknown;
  /** Every metadata key except `avro.schema` and `avro.codec`, decoded as UTF-8. */
  readonly metadata: Record<string, string>;
  readonly codec: AvroCodec;
  /** The records, decoded with the writer's schema. */
  readonly records: unknown[];
}

const MAGIC = [0x4f, 0x62, 0x6a, 0x01];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeLong(out: number[], value: number): void {
  // Zig-zag then base-128 varint, with arithmetic rather than bit operations above 2^31.
  let n = value >= 0 ? value * 2 : -value * 2 - 1;
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

function writeBytes(out: number[], bytes: Uint8Array): void {
  writeLong(out, bytes.length);
  for (const b of bytes) out.push(b);
}

async function transform(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function invalid(message: string, cause?: unknown): CatalogueError {
  return new CatalogueError("INVALID_INPUT", message, cause === undefined ? {} : { cause });
}

/**
 * Writes `records` as an Avro object container with `schema` (the raw JSON schema, stored
 * verbatim in `avro.schema`). Returns `Err(CatalogueError)` (`INVALID_INPUT`) when the schema is
 * invalid or a record does not match it (the message names the field path).
 */
export async function writeAvroContainer(
  schema: unknown,
  records: readonly unknown[],
  options: AvroWriteOptions = {},
): Promise<Result<Uint8Array, CatalogueError>> {
  const codec = options.codec ?? "null";
  let type: AvroType;
  try {
    type = resolveSchema(schema);
  } catch (cause) {
    return Err(invalid(`invalid Avro schema: ${(cause as Error).message}`, cause));
  }
  const sync = options.syncMarker ?? crypto.getRandomValues(new Uint8Array(16));
  if (sync.length !== 16) return Err(invalid("an Avro sync marker has 16 bytes"));
  const header: number[] = [...MAGIC];
  const metadata: [string, string][] = [
    ["avro.schema", JSON.stringify(schema)],
    ["avro.codec", codec],
    ...Object.entries(options.metadata ?? {}),
  ];
  writeLong(header, metadata.length);
  for (const [key, value] of metadata) {
    writeBytes(header, encoder.encode(key));
    writeBytes(header, encoder.encode(value));
  }
  writeLong(header, 0);
  const parts: Uint8Array[] = [Uint8Array.from(header), sync];
  const perBlock = Math.max(1, options.blockRecords ?? 4096);
  for (let start = 0; start < records.length; start += perBlock) {
    const block = records.slice(start, start + perBlock);
    let data: Uint8Array;
    try {
      const writer = new AvroWriter();
      block.forEach((record, i) => {
        try {
          encodeDatum(type, record, writer);
        } catch (cause) {
          throw new Error(
            `record ${start + i} does not match the schema at ${(cause as Error).message}`,
          );
        }
      });
      data = writer.take();
    } catch (cause) {
      return Err(invalid(`cannot encode Avro records: ${(cause as Error).message}`, cause));
    }
    if (codec === "deflate") data = await transform(data, new CompressionStream("deflate-raw"));
    const counts: number[] = [];
    writeLong(counts, block.length);
    writeLong(counts, data.length);
    parts.push(Uint8Array.from(counts), data, sync);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return Ok(out);
}

/** A cursor over container bytes; reads throw `RangeError` past the end. */
class Cursor {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  long(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) throw new RangeError("truncated Avro file");
      const b = this.bytes[this.pos++] as number;
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      scale *= 0x80;
    }
    throw new RangeError("malformed Avro varint");
  }
  take(length: number): Uint8Array {
    if (length < 0 || this.pos + length > this.bytes.length)
      throw new RangeError("truncated Avro file");
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Reads an Avro object container: header, schema and every record. Returns `Err(CatalogueError)`
 * (`INVALID_INPUT`) for bytes that are not an Avro container, a truncated file, a sync marker
 * mismatch, an unsupported codec, or records that do not decode (for example a long above 2^53).
 */
export async function readAvroContainer(
  bytes: Uint8Array,
): Promise<Result<AvroContainer, CatalogueError>> {
  if (bytes.length < 4 || !MAGIC.every((m, i) => bytes[i] === m))
    return Err(invalid("not an Avro object container file (no Obj\\x01 magic)"));
  const cursor = new Cursor(bytes);
  cursor.pos = 4;
  try {
    const metadata: Record<string, string> = {};
    for (let count = cursor.long(); count !== 0; count = cursor.long()) {
      if (count < 0) cursor.long();
      for (let i = 0; i < Math.abs(count); i++) {
        const key = decoder.decode(cursor.take(cursor.long()));
        const value = decoder.decode(cursor.take(cursor.long()));
        Object.defineProperty(metadata, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    const sync = cursor.take(16);
    const codec = metadata["avro.codec"] ?? "null";
    if (codec !== "null" && codec !== "deflate")
      return Err(invalid(`unsupported Avro codec "${codec}" (only null and deflate are read)`));
    const schemaText = metadata["avro.schema"];
    if (schemaText === undefined) return Err(invalid("the Avro file has no avro.schema"));
    const schema: unknown = JSON.parse(schemaText);
    const type = resolveSchema(schema);
    const records: unknown[] = [];
    while (cursor.pos < bytes.length) {
      const count = cursor.long();
      const size = cursor.long();
      let data = cursor.take(size);
      if (!sameBytes(cursor.take(16), sync)) return Err(invalid("Avro sync marker mismatch"));
      if (count < 0 || count > size * 8 + 1024)
        return Err(invalid(`implausible Avro block record count ${count}`));
      if (codec === "deflate") data = await transform(data, new DecompressionStream("deflate-raw"));
      const reader = new AvroReader(data);
      for (let i = 0; i < count; i++) records.push(decodeDatum(type, reader));
      if (reader.pos !== data.length)
        return Err(invalid("an Avro block holds more bytes than its records"));
    }
    const { "avro.schema": _schema, "avro.codec": _codec, ...rest } = metadata;
    return Ok({ schema, metadata: rest, codec, records });
  } catch (cause) {
    return Err(invalid(`unreadable Avro file: ${(cause as Error).message}`, cause));
  }
}
