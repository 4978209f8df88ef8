/**
 * The round trips every transport relies on: what is encoded decodes to the same message,
 * HLCs exactly (64-bit, through fixed64), values as JSON (null included), ids unchanged.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  deltaId,
  extractDelta,
  HLC_MAX,
  type HLCTimestamp,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import {
  decodeCheckpointChunk,
  decodeErrorResponse,
  decodeSyncNotification,
  decodeSyncPull,
  decodeSyncPush,
  decodeSyncResponse,
  encodeCheckpointChunk,
  encodeErrorResponse,
  encodeSyncNotification,
  encodeSyncPull,
  encodeSyncPush,
  encodeSyncResponse,
  fromRowDelta,
  PROTO_CONTENT_TYPE,
  toRowDelta,
} from "@lakesync/proto";
import { RowDeltaSchema, SyncResponseSchema } from "@lakesync/proto/gen";
import { describe, expect, it } from "vitest";

const hlc = (n: bigint) => n as HLCTimestamp;

function delta(i: number, overrides: Partial<RowDelta> = {}): RowDelta {
  const d = unwrapOrThrow(
    extractDelta(
      i % 3 === 0 ? null : { title: "old" },
      {
        title: `Todo ${i} ✓`,
        done: i % 2 === 0,
        priority: i,
        tags: ["a", { nested: [i, null] }],
        note: null,
      },
      {
        table: "todos",
        rowId: `row-${i}`,
        clientId: "phone",
        hlc: hlc((1_763_856_000_000n + BigInt(i)) << 16n),
      },
    ),
  );
  if (d === null) throw new Error("no change");
  const merged = { ...d, ...overrides };
  return { ...merged, deltaId: deltaId(merged) };
}

const push = (v: Uint8Array) => unwrapOrThrow(decodeSyncPush(v));

describe("the wire protocol round trips", () => {
  it("a push with many deltas decodes to the same push", () => {
    const deltas = [delta(0), delta(1), delta(2), { ...delta(3, { op: "DELETE", columns: [] }) }];
    const message = { clientId: "phone", deltas, lastSeenHlc: hlc(42n) };
    expect(push(unwrapOrThrow(encodeSyncPush(message)))).toEqual(message);
  });

  it("a pull decodes to the same pull", () => {
    const message = { clientId: "laptop", sinceHlc: hlc(123_456_789n << 16n), maxDeltas: 500 };
    expect(unwrapOrThrow(decodeSyncPull(unwrapOrThrow(encodeSyncPull(message))))).toEqual(message);
  });

  it("a response with hasMore keeps hasMore and its deltas", () => {
    const message = { deltas: [delta(1), delta(2)], serverHlc: hlc(99n), hasMore: true };
    const decoded = unwrapOrThrow(decodeSyncResponse(unwrapOrThrow(encodeSyncResponse(message))));
    expect(decoded).toEqual(message);
    expect(decoded.hasMore).toBe(true);
  });

  it("a push answer keeps its refusals and evictions, and matches protobuf-es", () => {
    const message = {
      deltas: [delta(1)],
      serverHlc: hlc(7n),
      hasMore: false,
      refused: [
        { deltaId: "ab".repeat(32), table: "todos", rowId: "t1", code: "FORBIDDEN", message: "no" },
        { deltaId: "cd".repeat(32), table: "todos", rowId: "t2", code: "FORBIDDEN", message: "" },
      ],
      evicted: [{ table: "todos", rowId: "t2" }],
    };
    const bytes = unwrapOrThrow(encodeSyncResponse(message));
    expect(unwrapOrThrow(decodeSyncResponse(bytes))).toEqual(message);
    const generated = fromBinary(SyncResponseSchema, bytes);
    expect(generated.refused.map((r) => r.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    expect(generated.evicted[0]?.rowId).toBe("t2");
    expect(toBinary(SyncResponseSchema, generated)).toEqual(bytes);
  });

  it("a refusal or eviction with an empty table or row id is refused", () => {
    const bad = encodeSyncResponse({
      deltas: [],
      serverHlc: hlc(1n),
      hasMore: false,
      evicted: [{ table: "", rowId: "x" }],
    });
    expect(!bad.ok && bad.error.message).toMatch(/evicted\[0\]/);
  });

  it("HLCs survive fixed64 exactly, up to 2^64 - 1", () => {
    for (const value of [0n, 1n, 2n ** 53n + 1n, 2n ** 63n, HLC_MAX, (2n ** 48n - 1n) << 16n]) {
      const bytes = unwrapOrThrow(
        encodeSyncResponse({
          deltas: [delta(1, { hlc: hlc(value) })],
          serverHlc: hlc(value),
          hasMore: false,
        }),
      );
      const decoded = unwrapOrThrow(decodeSyncResponse(bytes));
      expect(decoded.serverHlc).toBe(value);
      expect(decoded.deltas[0]?.hlc).toBe(value);
    }
  });

  it("an empty list of deltas round-trips as an empty list", () => {
    const bytes = unwrapOrThrow(
      encodeSyncPush({ clientId: "phone", deltas: [], lastSeenHlc: hlc(0n) }),
    );
    expect(push(bytes)).toEqual({ clientId: "phone", deltas: [], lastSeenHlc: 0n });
  });

  it("1000 deltas arrive uncorrupted and in order", () => {
    const deltas = Array.from({ length: 1000 }, (_, i) =>
      delta(i, { clientId: `client-${i % 7}` }),
    );
    const decoded = push(
      unwrapOrThrow(encodeSyncPush({ clientId: "client-0", deltas, lastSeenHlc: hlc(7n) })),
    );
    expect(decoded.deltas).toEqual(deltas);
  });

  it("an HLCTimestamp goes to a generated message and back unchanged", () => {
    const original = delta(5, { hlc: hlc(HLC_MAX - 1n) });
    const message = unwrapOrThrow(fromRowDelta(original));
    expect(message.hlc).toBe(HLC_MAX - 1n);
    const back = unwrapOrThrow(
      toRowDelta(fromBinary(RowDeltaSchema, toBinary(RowDeltaSchema, message))),
    );
    expect(back.hlc).toBe(original.hlc);
    expect(back).toEqual(original);
  });
});

describe("the other messages round trip", () => {
  it("a checkpoint chunk of rows keeps its rows and position", () => {
    const chunk = {
      table: "todos",
      payload: {
        kind: "rows" as const,
        rows: [
          {
            rowId: "r1",
            columns: [{ column: "title", value: "Milk" }],
            hlc: hlc(5n),
            clientId: "c",
          },
        ],
      },
      chunkIndex: 2,
      chunkCount: 3,
      snapshotHlc: hlc(77n),
    };
    expect(
      unwrapOrThrow(decodeCheckpointChunk(unwrapOrThrow(encodeCheckpointChunk(chunk)))),
    ).toEqual(chunk);
  });

  it("a checkpoint chunk of deltas keeps its deltas, and an empty one stays a deltas chunk", () => {
    for (const deltas of [[delta(1), delta(2)], []]) {
      const chunk = {
        table: "todos",
        payload: { kind: "deltas" as const, deltas },
        chunkIndex: 0,
        chunkCount: 1,
        snapshotHlc: hlc(1n),
      };
      expect(
        unwrapOrThrow(decodeCheckpointChunk(unwrapOrThrow(encodeCheckpointChunk(chunk)))),
      ).toEqual(chunk);
    }
  });

  it("a notification keeps its tables and inline deltas", () => {
    const message = { serverHlc: hlc(10n), tables: ["todos", "projects"], deltas: [delta(4)] };
    expect(
      unwrapOrThrow(decodeSyncNotification(unwrapOrThrow(encodeSyncNotification(message)))),
    ).toEqual(message);
  });

  it("a notification carrying deltas keeps its kind, log range and evicted rows", () => {
    const message = {
      serverHlc: hlc(20n),
      tables: ["todos"],
      deltas: [delta(4)],
      kind: "deltas" as const,
      sinceHlc: hlc(10n),
      evicted: [{ table: "todos", rowId: "gone" }],
    };
    expect(
      unwrapOrThrow(decodeSyncNotification(unwrapOrThrow(encodeSyncNotification(message)))),
    ).toEqual(message);
  });

  it("a notification of a kind this version does not know reads as changed (pull)", () => {
    const bytes = unwrapOrThrow(
      encodeSyncNotification({ serverHlc: hlc(5n), tables: [], deltas: [] }),
    );
    // Field 4 (kind), varint 7: a kind from a later version.
    const later = new Uint8Array([...bytes, 0x20, 0x07]);
    expect(unwrapOrThrow(decodeSyncNotification(later))).toEqual({
      serverHlc: hlc(5n),
      tables: [],
      deltas: [],
    });
  });

  it("an error response keeps its code and message", () => {
    const message = { code: "CLOCK_DRIFT", message: "clock 6 s ahead — fix the device clock" };
    expect(unwrapOrThrow(decodeErrorResponse(unwrapOrThrow(encodeErrorResponse(message))))).toEqual(
      message,
    );
  });

  it("a push leaves its own client id out of each delta and restores it", () => {
    const deltas = [delta(1)]; // made by "phone"
    const byPhone = unwrapOrThrow(
      encodeSyncPush({ clientId: "phone", deltas, lastSeenHlc: hlc(0n) }),
    );
    const byRelay = unwrapOrThrow(
      encodeSyncPush({ clientId: "relay", deltas, lastSeenHlc: hlc(0n) }),
    );
    // Tag, length and the five bytes of "phone".
    expect(byRelay.length - byPhone.length).toBe(7);
    expect(push(byPhone).deltas).toEqual(deltas);
    expect(push(byRelay).deltas).toEqual(deltas);
  });

  it("verifyDeltaIds accepts deltas whose ids match their content", () => {
    const bytes = unwrapOrThrow(
      encodeSyncResponse({ deltas: [delta(1), delta(2)], serverHlc: hlc(1n), hasMore: false }),
    );
    expect(decodeSyncResponse(bytes, { verifyDeltaIds: true }).ok).toBe(true);
  });

  it("the content type is application/x-protobuf", () => {
    expect(PROTO_CONTENT_TYPE).toBe("application/x-protobuf");
  });
});
