/**
 * What encoders refuse: values JSON would silently change or drop, ids that cannot travel,
 * numbers out of range. Encoders return `Err(WireError)` and never throw, even for input that
 * ignores the types.
 */
import type { ColumnValue, HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import {
  encodeCheckpointChunk,
  encodeErrorResponse,
  encodeSyncNotification,
  encodeSyncPull,
  encodeSyncPush,
  encodeSyncResponse,
  fromRowDelta,
  type WireError,
  type WireErrorReason,
} from "@lakesync/proto";
import { describe, expect, it } from "vitest";

const base: RowDelta = {
  op: "UPDATE",
  table: "todos",
  rowId: "r1",
  clientId: "phone",
  hlc: 5n as HLCTimestamp,
  columns: [{ column: "title", value: "Milk" }],
  deltaId: "0123456789abcdef".repeat(4),
};

function reasonOf(result: Result<unknown, WireError>): WireErrorReason | "ok" {
  return result.ok ? "ok" : result.error.reason;
}

const withDelta = (delta: unknown) =>
  encodeSyncResponse({
    deltas: [delta as RowDelta],
    serverHlc: 1n as HLCTimestamp,
    hasMore: false,
  });

const withValue = (value: unknown) =>
  withDelta({ ...base, columns: [{ column: "c", value: value as ColumnValue }] });

describe("encoders refuse what cannot travel", () => {
  it("values JSON.stringify would change or drop are INVALID_JSON", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [1, undefined],
      { a: Number.NaN },
      new Date(0),
      () => 1,
      Symbol("s"),
      1n,
      new Map(),
      cyclic,
    ]) {
      const result = withValue(bad);
      expect(reasonOf(result), String(bad)).toBe("INVALID_JSON");
      expect(!result.ok && result.error.path).toBe("SyncResponse.deltas[0].columns[0].value");
    }
  });

  it("a delta id that is not 64 lower-case hex characters is INVALID_DELTA_ID", () => {
    for (const deltaId of [
      "",
      "abc",
      base.deltaId.toUpperCase(),
      `${base.deltaId.slice(0, 63)}g`,
      `${base.deltaId}0`,
      42,
    ]) {
      expect(reasonOf(withDelta({ ...base, deltaId }))).toBe("INVALID_DELTA_ID");
    }
  });

  it("a string holding a lone surrogate is INVALID_UTF8, while one inside a value is escaped by JSON", () => {
    expect(reasonOf(withDelta({ ...base, rowId: "r\ud800" }))).toBe("INVALID_UTF8");
    expect(reasonOf(withValue("lone \udc00 surrogate"))).toBe("ok");
  });

  it("an HLC that is not an unsigned 64-bit bigint is INVALID_FIELD", () => {
    for (const hlc of [-1n, 2n ** 64n, 5, "5", null]) {
      expect(reasonOf(withDelta({ ...base, hlc }))).toBe("INVALID_FIELD");
    }
  });

  it("an unknown op is INVALID_ENUM", () => {
    for (const op of ["UPSERT", "insert", 1, undefined])
      expect(reasonOf(withDelta({ ...base, op }))).toBe("INVALID_ENUM");
  });

  it("empty ids, columns on a DELETE and a repeated column are INVALID_FIELD", () => {
    const cases = [
      { ...base, table: "" },
      { ...base, rowId: "" },
      { ...base, clientId: "" },
      { ...base, op: "DELETE" },
      { ...base, columns: [{ column: "", value: 1 }] },
      {
        ...base,
        columns: [
          { column: "a", value: 1 },
          { column: "a", value: 2 },
        ],
      },
      { ...base, columns: "title" },
      { ...base, columns: [null] },
    ];
    for (const delta of cases) expect(reasonOf(withDelta(delta))).toBe("INVALID_FIELD");
  });

  it("pull, checkpoint, notification and error fields out of range are INVALID_FIELD", () => {
    const pull = (maxDeltas: unknown) =>
      encodeSyncPull({
        clientId: "c",
        sinceHlc: 0n as HLCTimestamp,
        maxDeltas: maxDeltas as number,
      });
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, "10"])
      expect(reasonOf(pull(bad))).toBe("INVALID_FIELD");
    const chunk = (chunkIndex: number, chunkCount: number) =>
      encodeCheckpointChunk({
        table: "t",
        payload: { kind: "rows", rows: [] },
        chunkIndex,
        chunkCount,
        snapshotHlc: 0n as HLCTimestamp,
      });
    expect(reasonOf(chunk(0, 1))).toBe("ok");
    for (const [i, n] of [
      [1, 1],
      [0, 0],
      [-1, 2],
      [0.5, 2],
    ] as const)
      expect(reasonOf(chunk(i, n))).toBe("INVALID_FIELD");
    const notification = encodeSyncNotification({
      serverHlc: 0n as HLCTimestamp,
      tables: ["a", ""],
      deltas: [],
    });
    expect(!notification.ok && notification.error.path).toBe("SyncNotification.tables[1]");
    expect(reasonOf(encodeErrorResponse({ code: "bad code", message: "" }))).toBe("INVALID_FIELD");
    expect(reasonOf(encodeErrorResponse({ code: "X", message: "\ud800" }))).toBe("INVALID_FIELD");
  });

  it("input that ignores the types gives Err, never a throw", () => {
    const encoders = [
      encodeSyncPush,
      encodeSyncPull,
      encodeSyncResponse,
      encodeCheckpointChunk,
      encodeSyncNotification,
      encodeErrorResponse,
    ] as ((m: unknown) => Result<Uint8Array, WireError>)[];
    const hostile = [
      null,
      undefined,
      1,
      "x",
      [],
      {},
      { deltas: null },
      { deltas: [1] },
      { payload: { kind: "rows", rows: [null] } },
    ];
    for (const encode of encoders) {
      for (const input of hostile) expect(encode(input).ok).toBe(false);
    }
    const throwing = {
      ...base,
      get rowId(): string {
        throw new Error("getter");
      },
    };
    expect(reasonOf(withDelta(throwing))).toBe("INVALID_FIELD");
    expect(reasonOf(fromRowDelta(throwing))).toBe("INVALID_FIELD");
  });

  it("fromRowDelta refuses what the encoders refuse", () => {
    expect(reasonOf(fromRowDelta({ ...base, deltaId: "x" }))).toBe("INVALID_DELTA_ID");
    expect(reasonOf(fromRowDelta({ ...base, columns: [{ column: "c", value: Number.NaN }] }))).toBe(
      "INVALID_JSON",
    );
    expect(reasonOf(fromRowDelta(base))).toBe("ok");
  });
});
