/**
 * @module codec/boundary
 * The edge of every public codec: input checks, the two encoding passes, and the conversion of
 * any failure into `Err(WireError)`. Nothing thrown inside a codec gets past here.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { EncodePlan } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import { fail, toWireError } from "../wire/failure.js";
import { WireReader } from "../wire/reader.js";
import { WireWriter } from "../wire/writer.js";

/**
 * Decodes the message `root` from `bytes` with `read`, which reads fields until the end of the
 * bytes. Accepts any `Uint8Array`, including a Node `Buffer` or one from another realm.
 */
export function decodeMessage<T>(
  root: string,
  bytes: Uint8Array,
  read: (reader: WireReader, end: number) => T,
): Result<T, WireError> {
  try {
    if (Object.prototype.toString.call(bytes) !== "[object Uint8Array]") {
      fail("MALFORMED", "", "expected a Uint8Array");
    }
    return Ok(read(new WireReader(bytes), bytes.length));
  } catch (error) {
    return Err(toWireError(error, root));
  }
}

/**
 * Encodes the message `root`: `size` checks the input, records lengths in the plan and returns
 * the message's size; `write` writes exactly that many bytes.
 */
export function encodeMessage(
  root: string,
  input: unknown,
  size: (plan: EncodePlan) => number,
  write: (writer: WireWriter, plan: EncodePlan) => void,
): Result<Uint8Array, WireError> {
  try {
    if (typeof input !== "object" || input === null) fail("INVALID_FIELD", "", "not an object");
    const plan = new EncodePlan();
    const total = size(plan);
    const writer = new WireWriter(total);
    write(writer, plan);
    if (writer.pos !== total) fail("INVALID_FIELD", "", "the message changed while encoding");
    return Ok(writer.bytes);
  } catch (error) {
    return Err(toWireError(error, root, "INVALID_FIELD"));
  }
}

/** The size of an optional `fixed64` field: left out when zero, as protobuf does. */
export function fixed64Size(value: bigint): number {
  return value === 0n ? 0 : 9;
}

/** Writes a `fixed64` field unless it is zero. */
export function writeFixed64Field(writer: WireWriter, tag: number, value: bigint): void {
  if (value === 0n) return;
  writer.varint(tag);
  writer.fixed64(value);
}
