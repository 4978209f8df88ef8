import { Err, HLC_ZERO, LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type CheckpointChunk, decodeCheckpointChunk } from "@lakesync/proto";
import { describe, expect, it } from "vitest";
import { checkpointFrameStream } from "../checkpoint-frames.js";

const chunk = (chunkIndex: number): CheckpointChunk => ({
  table: "todos",
  payload: { kind: "deltas", deltas: [] },
  chunkIndex,
  chunkCount: 3,
  snapshotHlc: HLC_ZERO,
});

async function* source(
  fail: boolean,
  built: number[],
): AsyncGenerator<Result<CheckpointChunk, LakeSyncError>> {
  for (let i = 0; i < 3; i++) {
    built.push(i);
    if (fail && i === 1) yield Err(new LakeSyncError("CHECKPOINT_FAILED", "a file went missing"));
    else yield Ok(chunk(i));
  }
}

/** Splits a body into its frames' messages. */
function frames(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(0, false);
    out.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

describe("checkpointFrameStream", () => {
  it("builds each chunk only when the reader asks for it", async () => {
    const built: number[] = [];
    const reader = checkpointFrameStream(source(false, built)).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(built.length).toBeLessThanOrEqual(2);
    const parts = [first.value ?? new Uint8Array()];
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => {
      body.set(p, at);
      return at + p.length;
    }, 0);
    const decoded = frames(body).map((f) => decodeCheckpointChunk(f));
    expect(decoded.map((d) => d.ok && d.value.chunkIndex)).toEqual([0, 1, 2]);
    expect(built).toEqual([0, 1, 2]);
  });

  it("ends the body with an error at a chunk that cannot be built, and says so", async () => {
    const errors: string[] = [];
    const reader = checkpointFrameStream(source(true, []), (e) => errors.push(e.code)).getReader();
    expect((await reader.read()).done).toBe(false);
    await expect(reader.read()).rejects.toThrow("a file went missing");
    expect(errors).toEqual(["CHECKPOINT_FAILED"]);
  });
});
