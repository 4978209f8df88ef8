/**
 * Fuzzing every decoder with random and mutated bytes (100k inputs each by default; FUZZ_INPUTS
 * and FUZZ_SEED override). Each must return a `Result`, never throw; a refusal must be a
 * `WireError` with a known reason; an accepted message must re-encode to a stable normal form;
 * and, on a sample, protobuf-es must read the same bytes to the same message.
 */
import type { Result } from "@lakesync/core";
import * as proto from "@lakesync/proto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chunkArb,
  errorArb,
  notificationArb,
  pullArb,
  pushArb,
  responseArb,
} from "./arbitraries.js";
import { reference } from "./reference.js";

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const REASONS = new Set([
  "TRUNCATED",
  "MALFORMED",
  "INVALID_UTF8",
  "INVALID_JSON",
  "INVALID_ENUM",
  "INVALID_DELTA_ID",
  "INVALID_FIELD",
]);
const INTERESTING = [0x00, 0x01, 0x08, 0x0a, 0x12, 0x22, 0x5b, 0x7f, 0x80, 0xc0, 0xed, 0xff];

type Decode = (bytes: Uint8Array) => Result<unknown, proto.WireError>;
type Encode = (message: never) => Result<Uint8Array, proto.WireError>;

const decoders: [string, Decode, Encode, (bytes: Uint8Array) => unknown, fc.Arbitrary<unknown>][] =
  [
    ["SyncPush", proto.decodeSyncPush, proto.encodeSyncPush, reference.decodeSyncPush, pushArb],
    ["SyncPull", proto.decodeSyncPull, proto.encodeSyncPull, reference.decodeSyncPull, pullArb],
    [
      "SyncResponse",
      proto.decodeSyncResponse,
      proto.encodeSyncResponse,
      reference.decodeSyncResponse,
      responseArb,
    ],
    [
      "CheckpointChunk",
      proto.decodeCheckpointChunk,
      proto.encodeCheckpointChunk,
      reference.decodeCheckpointChunk,
      chunkArb,
    ],
    [
      "SyncNotification",
      proto.decodeSyncNotification,
      proto.encodeSyncNotification,
      reference.decodeSyncNotification,
      notificationArb,
    ],
    [
      "ErrorResponse",
      proto.decodeErrorResponse,
      proto.encodeErrorResponse,
      reference.decodeErrorResponse,
      errorArb,
    ],
  ];

/** mulberry32: a small seeded PRNG, so a failure can be replayed with FUZZ_SEED. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Valid encodings of each message type: mutations start from real protocol bytes. */
const corpora: Uint8Array[][] = decoders.map(([, , encode, , arb]) =>
  fc.sample(arb, { numRuns: 40, seed: SEED }).flatMap((message) => {
    const bytes = encode(message as never);
    return bytes.ok ? [bytes.value] : [];
  }),
);
const everything = corpora.flat();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * One fuzz input: a quarter are random bytes; the rest are valid messages (mostly of the
 * decoder's own type, sometimes of another) with one to four mutations: a flipped bit, an
 * interesting byte, an inserted or deleted run, a truncation, a duplicated slice or a splice
 * with another message.
 */
function mutate(random: (n: number) => number, own: readonly Uint8Array[]): Uint8Array {
  if (random(4) === 0) {
    const bytes = new Uint8Array(random(80));
    for (let i = 0; i < bytes.length; i++) bytes[i] = random(256);
    return bytes;
  }
  const pool = random(4) === 0 ? everything : own;
  let bytes: Uint8Array = (pool[random(pool.length)] ?? new Uint8Array()).slice();
  for (let k = 1 + random(4); k > 0; k--) {
    const at = random(bytes.length + 1);
    switch (random(7)) {
      case 0:
        if (at < bytes.length) bytes[at] = (bytes[at] as number) ^ (1 << random(8));
        break;
      case 1:
        if (at < bytes.length) bytes[at] = INTERESTING[random(INTERESTING.length)] as number;
        break;
      case 2:
        bytes = concat(bytes.subarray(0, at), Uint8Array.of(random(256)), bytes.subarray(at));
        break;
      case 3:
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + 1 + random(4)));
        break;
      case 4:
        bytes = bytes.subarray(0, at);
        break;
      case 5: {
        const from = random(bytes.length + 1);
        const slice = bytes.subarray(from, from + random(16));
        bytes = concat(bytes.subarray(0, at), slice, bytes.subarray(at));
        break;
      }
      default: {
        const other = everything[random(everything.length)] ?? new Uint8Array();
        bytes = concat(bytes.subarray(0, at), other.subarray(random(other.length + 1)));
      }
    }
  }
  return bytes;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

// Refusals build errors whose stack traces nobody reads here; capturing them is most of the
// cost of a refusal, so this file turns capture off while it runs.
const stackTraceLimit = Error.stackTraceLimit;
beforeAll(() => {
  Error.stackTraceLimit = 0;
});
afterAll(() => {
  Error.stackTraceLimit = stackTraceLimit;
});

describe.each(decoders.map((d, i) => [...d, i] as const))(
  "fuzzing %s",
  (_name, decode, encode, referenceDecode, _arb, index) => {
    it(`returns a Result for ${INPUTS} random and mutated inputs, never throwing`, () => {
      const random = prng(SEED + index * 7919);
      const own = corpora[index] ?? [];
      const problems: string[] = [];
      let accepted = 0;
      for (let i = 0; i < INPUTS && problems.length < 5; i++) {
        const input = mutate(random, own);
        let result: Result<unknown, proto.WireError>;
        try {
          result = decode(input);
        } catch (error) {
          problems.push(`threw ${String(error)} on ${hex(input)} (FUZZ_SEED=${SEED})`);
          continue;
        }
        if (!result.ok) {
          if (!proto.isWireError(result.error) || !REASONS.has(result.error.reason)) {
            problems.push(`bad error ${String(result.error)} on ${hex(input)} (FUZZ_SEED=${SEED})`);
          }
          continue;
        }
        accepted++;
        const again = encode(result.value as never);
        const twice = again.ok ? decode(again.value) : undefined;
        const thrice = twice?.ok ? encode(twice.value as never) : undefined;
        if (!again.ok || !thrice?.ok || !sameBytes(again.value, thrice.value)) {
          problems.push(`accepted but no stable re-encoding: ${hex(input)} (FUZZ_SEED=${SEED})`);
        } else if (accepted % 10 === 0) {
          try {
            expect(referenceDecode(input)).toEqual(result.value);
          } catch (error) {
            problems.push(
              `protobuf-es disagrees (${String(error).slice(0, 200)}) on ${hex(input)} (FUZZ_SEED=${SEED})`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
      // The mutations must reach past the framing, into fields and values.
      expect(accepted).toBeGreaterThan(INPUTS / 50);
    });
  },
);
