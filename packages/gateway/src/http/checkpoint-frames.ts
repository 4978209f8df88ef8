/**
 * @module http/checkpoint-frames
 * The body of `GET /sync/:gatewayId/checkpoint`: checkpoint chunks as length-prefixed frames,
 * streamed as they are built.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type CheckpointChunk, encodeCheckpointChunk, type WireError } from "@lakesync/proto";

/**
 * Encodes one chunk as a frame: a 4-byte big-endian unsigned length, then one `CheckpointChunk`
 * message. A client decodes frames as they arrive and reports progress chunk by chunk.
 */
export function encodeCheckpointFrame(chunk: CheckpointChunk): Result<Uint8Array, WireError> {
  const bytes = encodeCheckpointChunk(chunk);
  if (!bytes.ok) return Err(bytes.error);
  const frame = new Uint8Array(4 + bytes.value.byteLength);
  new DataView(frame.buffer).setUint32(0, bytes.value.byteLength, false);
  frame.set(bytes.value, 4);
  return Ok(frame);
}

/** Encodes chunks as frames (see {@link encodeCheckpointFrame}). */
export function encodeCheckpointFrames(
  chunks: Iterable<CheckpointChunk>,
): Result<Uint8Array[], WireError> {
  const frames: Uint8Array[] = [];
  for (const chunk of chunks) {
    const frame = encodeCheckpointFrame(chunk);
    if (!frame.ok) return frame;
    frames.push(frame.value);
  }
  return Ok(frames);
}

/**
 * A stream of frames that builds each chunk only when the reader asks for more, so a checkpoint
 * of any size is served with one chunk in memory at a time. A chunk that fails to build ends the
 * stream with an error (the client sees a broken body and retries its initial sync); `onError`
 * is told first.
 */
export function checkpointFrameStream(
  chunks: AsyncIterator<Result<CheckpointChunk, LakeSyncError>>,
  onError?: (error: LakeSyncError) => void,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) {
          controller.close();
          return;
        }
        const frame = next.value.ok ? encodeCheckpointFrame(next.value.value) : next.value;
        if (frame.ok) {
          controller.enqueue(frame.value);
          return;
        }
        onError?.(frame.error);
        controller.error(frame.error);
        await chunks.return?.();
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
