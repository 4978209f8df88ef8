/**
 * Laws over arbitrary messages (fast-check): every message decodes to itself after encoding,
 * the fast codecs write exactly the bytes protobuf-es writes from the generated schema, and
 * protobuf-es reads the fast codecs' bytes back to the same message.
 */
import type { Result } from "@lakesync/core";
import * as proto from "@lakesync/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chunkArb,
  deltaArb,
  errorArb,
  notificationArb,
  pullArb,
  pushArb,
  responseArb,
} from "./arbitraries.js";
import { reference } from "./reference.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 300);

function value<T>(result: Result<T, unknown>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

const cases = [
  [
    "SyncPush",
    pushArb,
    proto.encodeSyncPush,
    proto.decodeSyncPush,
    reference.encodeSyncPush,
    reference.decodeSyncPush,
  ],
  [
    "SyncPull",
    pullArb,
    proto.encodeSyncPull,
    proto.decodeSyncPull,
    reference.encodeSyncPull,
    reference.decodeSyncPull,
  ],
  [
    "SyncResponse",
    responseArb,
    proto.encodeSyncResponse,
    proto.decodeSyncResponse,
    reference.encodeSyncResponse,
    reference.decodeSyncResponse,
  ],
  [
    "CheckpointChunk",
    chunkArb,
    proto.encodeCheckpointChunk,
    proto.decodeCheckpointChunk,
    reference.encodeCheckpointChunk,
    reference.decodeCheckpointChunk,
  ],
  [
    "SyncNotification",
    notificationArb,
    proto.encodeSyncNotification,
    proto.decodeSyncNotification,
    reference.encodeSyncNotification,
    reference.decodeSyncNotification,
  ],
  [
    "ErrorResponse",
    errorArb,
    proto.encodeErrorResponse,
    proto.decodeErrorResponse,
    reference.encodeErrorResponse,
    reference.decodeErrorResponse,
  ],
] as const;

describe.each(cases)("%s", (_name, arb, encode, decode, referenceEncode, referenceDecode) => {
  // The tuple's functions are typed per message; the laws treat them alike.
  const enc = encode as (m: unknown) => Result<Uint8Array, unknown>;
  const dec = decode as (b: Uint8Array) => Result<unknown, unknown>;
  const refEnc = referenceEncode as (m: unknown) => Uint8Array;
  const refDec = referenceDecode as (b: Uint8Array) => unknown;

  it("decodes to the message that was encoded", () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<unknown>, (message) => {
        expect(value(dec(value(enc(message))))).toEqual(message);
      }),
      { numRuns: runs },
    );
  });

  it("writes the same bytes as protobuf-es", () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<unknown>, (message) => {
        expect(value(enc(message))).toEqual(refEnc(message));
      }),
      { numRuns: runs },
    );
  });

  it("is read back by protobuf-es as the same message", () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<unknown>, (message) => {
        expect(refDec(value(enc(message)))).toEqual(message);
      }),
      { numRuns: runs },
    );
  });
});

describe("delta ids", () => {
  it("a delta whose content changed in transit is refused when ids are verified", () => {
    fc.assert(
      fc.property(deltaArb, deltaArb, (a, b) => {
        fc.pre(a.deltaId !== b.deltaId);
        const forged = { ...a, deltaId: b.deltaId };
        const bytes = value(
          proto.encodeSyncResponse({ deltas: [forged], serverHlc: a.hlc, hasMore: false }),
        );
        expect(proto.decodeSyncResponse(bytes).ok).toBe(true);
        const verified = proto.decodeSyncResponse(bytes, { verifyDeltaIds: true });
        expect(verified.ok).toBe(false);
        expect(!verified.ok && verified.error.reason).toBe("INVALID_DELTA_ID");
      }),
      { numRuns: 100 },
    );
  });

  it("toRowDelta and fromRowDelta are inverse on every valid delta", () => {
    fc.assert(
      fc.property(deltaArb, (delta) => {
        expect(value(proto.toRowDelta(value(proto.fromRowDelta(delta))))).toEqual(delta);
      }),
      { numRuns: runs },
    );
  });
});
