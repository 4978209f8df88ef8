/**
 * @module transport/checkpoint-frames
 * Reading a checkpoint body as it arrives: length-prefixed frames (a 4-byte big-endian length,
 * then one `CheckpointChunk` message), each handed out as soon as its last byte is in, so a
 * client applies a chunk while the gateway still builds the next and never holds the whole body.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { TransportError } from "./sync-transport.js";

/** Joins received pieces and cuts whole frames from their front. */
class FrameBuffer {
  #bytes = new Uint8Array(0);
  #start = 0;
  #end = 0;

  push(piece: Uint8Array): void {
    const kept = this.#end - this.#start;
    if (this.#end + piece.length > this.#bytes.length) {
      if (kept + piece.length <= this.#bytes.length) {
        this.#bytes.copyWithin(0, this.#start, this.#end);
      } else {
        const next = new Uint8Array(Math.max(64 * 1024, (kept + piece.length) * 2));
        next.set(this.#bytes.subarray(this.#start, this.#end));
        this.#bytes = next;
      }
      this.#start = 0;
      this.#end = kept;
    }
    this.#bytes.set(piece, this.#end);
    this.#end += piece.length;
  }

  /** The next whole frame's message (a copy), or `undefined` while it is incomplete. */
  take(): Uint8Array | undefined {
    if (this.#end - this.#start < 4) return undefined;
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#start, 4);
    const length = view.getUint32(0, false);
    if (this.#end - this.#start < 4 + length) return undefined;
    const frame = this.#bytes.slice(this.#start + 4, this.#start + 4 + length);
    this.#start += 4 + length;
    return frame;
  }

  get empty(): boolean {
    return this.#start === this.#end;
  }
}

/**
 * The frames of `body` in order, each as soon as it is complete. Yields an `Err` (and stops) when
 * the body fails or ends inside a frame.
 */
export async function* readFrames(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<Result<Uint8Array, TransportError>> {
  const reader = body.getReader();
  const frames = new FrameBuffer();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (cause) {
        return yield Err(new TransportError("the checkpoint download failed", { cause }));
      }
      if (next.done) break;
      frames.push(next.value);
      for (let frame = frames.take(); frame; frame = frames.take()) yield Ok(frame);
    }
    if (!frames.empty)
      yield Err(new TransportError("the checkpoint ends inside a frame", { code: "BAD_RESPONSE" }));
  } finally {
    reader.releaseLock();
  }
}
