import { HLC_ZERO, type Result, unwrapOrThrow } from "@lakesync/core";
import { type CheckpointChunk, encodeCheckpointChunk } from "@lakesync/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFrames } from "../checkpoint-frames.js";
import { HttpTransport } from "../http-transport.js";

/** `messages` as a checkpoint body: each behind its 4-byte big-endian length. */
function body(messages: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + 4 + m.length, 0));
  let at = 0;
  for (const m of messages) {
    new DataView(out.buffer).setUint32(at, m.length, false);
    out.set(m, at + 4);
    at += 4 + m.length;
  }
  return out;
}

/** A stream of `bytes` cut at `cuts` (offsets), as a network delivers it. */
function pieces(bytes: Uint8Array, cuts: readonly number[]): ReadableStream<Uint8Array> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    if (cut > from) parts.push(bytes.slice(from, cut));
    from = Math.max(from, cut);
  }
  return new ReadableStream({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function all<T>(results: AsyncIterable<Result<T, unknown>>): Promise<Result<T, unknown>[]> {
  const out: Result<T, unknown>[] = [];
  for await (const r of results) out.push(r);
  return out;
}

const chunk = (chunkIndex: number, chunkCount: number): CheckpointChunk => ({
  table: "todos",
  payload: { kind: "deltas", deltas: [] },
  chunkIndex,
  chunkCount,
  snapshotHlc: HLC_ZERO,
});

describe("readFrames", () => {
  it("hands out every frame whole, however the body is cut into pieces", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.nat(5000), { maxLength: 40 }),
        async (messages, cuts) => {
          const read = await all(readFrames(pieces(body(messages), cuts)));
          expect(read.map((r) => (r.ok ? [...r.value] : "error"))).toEqual(
            messages.map((m) => [...m]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("says so when the body ends inside a frame", async () => {
    const whole = body([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])]);
    const read = await all(readFrames(pieces(whole.slice(0, whole.length - 2), [3])));
    expect(read.map((r) => r.ok)).toEqual([true, false]);
    const last = read[1];
    expect(last && !last.ok && String(last.error)).toMatch(/ends inside a frame/);
  });
});

describe("HttpTransport.checkpoint", () => {
  it("applies each chunk as soon as its frame is in, before the body has ended", async () => {
    const frames = [0, 1].map((i) => unwrapOrThrow(encodeCheckpointChunk(chunk(i, 2))));
    let send: ((bytes: Uint8Array | undefined) => void) | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        send = (bytes) => (bytes ? controller.enqueue(bytes) : controller.close());
      },
    });
    const http = new HttpTransport({
      baseUrl: "http://gw.test",
      gatewayId: "main",
      token: () => "t",
      fetch: async () =>
        new Response(stream, { status: 200, headers: { "x-lakesync-snapshot-hlc": "42" } }),
    });
    const applied: number[] = [];
    let firstApplied: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      firstApplied = resolve;
    });
    const done = http.checkpoint((c) => {
      applied.push(c.chunkIndex);
      firstApplied();
      return { ok: true, value: undefined };
    });
    send?.(body([frames[0] ?? new Uint8Array()]));
    await first;
    // The second frame has not even been sent: the first chunk is applied already.
    expect(applied).toEqual([0]);
    send?.(body([frames[1] ?? new Uint8Array()]));
    send?.(undefined);
    const summary = unwrapOrThrow(await done);
    expect(summary).toEqual({ snapshotHlc: 42n, chunks: 2 });
    expect(applied).toEqual([0, 1]);
  });
});
