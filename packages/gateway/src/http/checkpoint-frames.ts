/**
 * @module http/checkpoint-frames
 * The body of `GET /sync/:gatewayId/checkpoint`: checkpoint chunks as length-prefixed frames.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { type CheckpointChunk, encodeCheckpointChunk, type WireError } from "@lakesync/proto";

/**
 * Encodes chunks as frames: a 4-byte big-endian unsigned length, then one `CheckpointChunk`
 * message. A client decodes them as they arrive and reports progress chunk by chunk.
 */
export function encodeCheckpointFrames(
  chunks: readonly CheckpointChunk[],
): Result<Uint8Array[], WireError> {
  const frames: Uint8Array[] = [];
  for (const chunk of chunks) {
    const bytes = encodeCheckpointChunk(chunk);
    if (!bytes.ok) return Err(bytes.error);
    const frame = new Uint8Array(4 + bytes.value.byteLength);
    new DataView(frame.buffer).setUint32(0, bytes.value.byteLength, false);
    frame.set(bytes.value, 4);
    frames.push(frame);
  }
  return Ok(frames);
}
