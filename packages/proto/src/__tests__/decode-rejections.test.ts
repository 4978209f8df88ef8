/**
 * What decoders refuse, and how: hostile or broken bytes give `Err(WireError)` with a reason a
 * caller can switch on and a path to the offending field, and unknown fields from a newer peer
 * are skipped rather than refused.
 */
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { type HLCTimestamp, hasErrorCode, type Result, ValidationError } from "@lakesync/core";
import {
  decodeCheckpointChunk,
  decodeErrorResponse,
  decodeSyncPull,
  decodeSyncPush,
  decodeSyncResponse,
  encodeSyncPush,
  isWireError,
  WireError,
  type WireErrorReason,
} from "@lakesync/proto";
import { describe, expect, it } from "vitest";

const ID = new Uint8Array(32).fill(0xab);
const utf8 = (s: string) => new TextEncoder().encode(s);

interface DeltaParts {
  op?: number;
  table?: Uint8Array;
  rowId?: Uint8Array;
  clientId?: Uint8Array;
  columns?: { name: Uint8Array; value: Uint8Array }[];
  deltaId?: Uint8Array;
  extra?: (w: BinaryWriter) => void;
}

/** A RowDelta body written field by field, so any field can be made wrong. */
function deltaBytes(p: DeltaParts = {}): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.Varint).int32(p.op ?? 2);
  w.tag(2, WireType.LengthDelimited).bytes(p.table ?? utf8("todos"));
  w.tag(3, WireType.LengthDelimited).bytes(p.rowId ?? utf8("r1"));
  for (const c of p.columns ?? [{ name: utf8("title"), value: utf8('"Milk"') }]) {
    w.tag(4, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).bytes(c.name);
    w.tag(2, WireType.LengthDelimited).bytes(c.value);
    w.join();
  }
  w.tag(5, WireType.Bit64).fixed64(7n);
  w.tag(6, WireType.LengthDelimited).bytes(p.clientId ?? utf8("phone"));
  w.tag(7, WireType.LengthDelimited).bytes(p.deltaId ?? ID);
  p.extra?.(w);
  return w.finish();
}

/** A SyncResponse holding the given delta bodies. */
function response(...deltas: Uint8Array[]): Uint8Array {
  const w = new BinaryWriter();
  for (const d of deltas) w.tag(1, WireType.LengthDelimited).bytes(d);
  return w.finish();
}

function reasonOf(result: Result<unknown, WireError>): WireErrorReason | "ok" {
  return result.ok ? "ok" : result.error.reason;
}

const decodeValue = (value: string | Uint8Array) =>
  decodeSyncResponse(
    response(
      deltaBytes({
        columns: [{ name: utf8("c"), value: typeof value === "string" ? utf8(value) : value }],
      }),
    ),
  );

describe("decoders refuse broken bytes with a clear reason", () => {
  it("the valid baseline message decodes", () => {
    expect(reasonOf(decodeSyncResponse(response(deltaBytes())))).toBe("ok");
  });

  it("bytes cut inside a field are TRUNCATED", () => {
    const bytes = response(deltaBytes());
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(reasonOf(decodeSyncResponse(bytes.subarray(0, cut)))).toBe("TRUNCATED");
    }
  });

  it("an unknown or unspecified op is INVALID_ENUM", () => {
    for (const op of [0, 4, 99, -1, 2 ** 31 - 1]) {
      expect(reasonOf(decodeSyncResponse(response(deltaBytes({ op }))))).toBe("INVALID_ENUM");
    }
  });

  it("a string field that is not UTF-8 is INVALID_UTF8", () => {
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x61, 0xe2, 0x82]]) {
      const result = decodeSyncResponse(response(deltaBytes({ rowId: new Uint8Array(bad) })));
      expect(reasonOf(result)).toBe("INVALID_UTF8");
      expect(!result.ok && result.error.path).toBe("SyncResponse.deltas[0].rowId");
    }
  });

  it("a column value that is not UTF-8 is INVALID_UTF8", () => {
    expect(reasonOf(decodeValue(new Uint8Array([0x22, 0xff, 0x22])))).toBe("INVALID_UTF8");
    expect(reasonOf(decodeValue(new Uint8Array([0x5b, 0xc3, 0x5d])))).toBe("INVALID_UTF8");
  });

  it("a column value that is not exactly one storable JSON value is INVALID_JSON", () => {
    const deep = `${"[".repeat(70)}${"]".repeat(70)}`;
    for (const bad of [
      "",
      "{",
      "1,2",
      '"a" "b"',
      "undefined",
      "NaN",
      "'x'",
      "1e400",
      "-1e999",
      deep,
      '"\\x"',
      '"\t"',
      "01",
      "+1",
      "tru",
    ]) {
      const result = decodeValue(bad);
      expect(reasonOf(result), bad).toBe("INVALID_JSON");
      expect(!result.ok && result.error.path).toBe("SyncResponse.deltas[0].columns[0].value");
    }
  });

  it("column values decode exactly as JSON.parse reads them", () => {
    for (const good of [
      "null",
      "true",
      "false",
      "0",
      "-0.5",
      "123456789012345",
      "1234567890123456789",
      '"é"',
      '"\\u00e9\\n"',
      ' [1, {"a": null}] ',
      '{"__proto__": 1}',
      `${"[".repeat(64)}${"]".repeat(64)}`,
    ]) {
      const result = decodeValue(good);
      expect(result.ok, good).toBe(true);
      expect(result.ok && result.value.deltas[0]?.columns[0]?.value).toEqual(JSON.parse(good));
    }
  });

  it("a delta id that is not 32 bytes is INVALID_DELTA_ID", () => {
    for (const length of [0, 31, 33, 64]) {
      const result = decodeSyncResponse(response(deltaBytes({ deltaId: new Uint8Array(length) })));
      expect(reasonOf(result)).toBe("INVALID_DELTA_ID");
    }
  });

  it("empty ids, an empty column name, columns on a DELETE and a repeated column are INVALID_FIELD", () => {
    const col = (name: string) => ({ name: utf8(name), value: utf8("1") });
    const cases: DeltaParts[] = [
      { table: new Uint8Array() },
      { rowId: new Uint8Array() },
      { clientId: new Uint8Array() },
      { columns: [col("")] },
      { op: 3 },
      { columns: [col("a"), col("b"), col("a")] },
      { columns: Array.from({ length: 20 }, (_, i) => col(`c${i % 19}`)) },
    ];
    for (const parts of cases)
      expect(reasonOf(decodeSyncResponse(response(deltaBytes(parts))))).toBe("INVALID_FIELD");
  });

  it("a field running past the end of its message, or a known field of the wrong wire type, is MALFORMED", () => {
    const inner = deltaBytes();
    const w = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .uint32(inner.length - 3)
      .raw(inner);
    expect(["MALFORMED", "TRUNCATED"]).toContain(reasonOf(decodeSyncResponse(w.finish())));
    const wrongType = deltaBytes({ extra: (x) => x.tag(5, WireType.Varint).uint32(1) });
    expect(reasonOf(decodeSyncResponse(response(wrongType)))).toBe("MALFORMED");
    expect(reasonOf(decodeSyncResponse(new Uint8Array([0x00])))).toBe("MALFORMED");
    expect(reasonOf(decodeSyncResponse(new Uint8Array([0x0f])))).toBe("MALFORMED");
  });

  it("anything but a Uint8Array is MALFORMED, and a Node Buffer is read like any Uint8Array", () => {
    for (const bad of [null, undefined, "bytes", [1, 2], new ArrayBuffer(2), new Uint16Array(2)]) {
      expect(reasonOf(decodeSyncPull(bad as unknown as Uint8Array))).toBe("MALFORMED");
    }
    expect(reasonOf(decodeSyncResponse(Buffer.from(response(deltaBytes()))))).toBe("ok");
  });

  it("fields a newer peer added are skipped, whatever their wire type", () => {
    const extra = (w: BinaryWriter) => {
      w.tag(99, WireType.Varint).uint64(2n ** 63n);
      w.tag(100, WireType.LengthDelimited).string("future");
      w.tag(101, WireType.Bit64).fixed64(1n);
      w.tag(102, WireType.Bit32).fixed32(1);
      w.tag(103, WireType.StartGroup).tag(1, WireType.Varint).uint32(5).tag(103, WireType.EndGroup);
    };
    const plain = decodeSyncResponse(response(deltaBytes()));
    const extended = decodeSyncResponse(response(deltaBytes({ extra })));
    expect(extended).toEqual(plain);
    const unmatched = deltaBytes({
      extra: (w) => w.tag(103, WireType.StartGroup).tag(104, WireType.EndGroup),
    });
    expect(reasonOf(decodeSyncResponse(response(unmatched)))).toBe("MALFORMED");
  });

  it("a push needs a client id, and a delta without one inherits it", () => {
    const noClient = new BinaryWriter()
      .tag(2, WireType.LengthDelimited)
      .bytes(deltaBytes())
      .finish();
    expect(reasonOf(decodeSyncPush(noClient))).toBe("INVALID_FIELD");
    const w = new BinaryWriter()
      .tag(2, WireType.LengthDelimited)
      .bytes(deltaBytes({ clientId: new Uint8Array() }));
    w.tag(1, WireType.LengthDelimited).string("phone");
    const decoded = decodeSyncPush(w.finish());
    expect(decoded.ok && decoded.value.deltas[0]?.clientId).toBe("phone");
  });

  it("a checkpoint chunk without a payload, outside its count or mixing tables is INVALID_FIELD", () => {
    const chunk = (build: (w: BinaryWriter) => void) => {
      const w = new BinaryWriter().tag(1, WireType.LengthDelimited).string("todos");
      build(w);
      return decodeCheckpointChunk(w.finish());
    };
    const deltas = (table: string) => (w: BinaryWriter) =>
      w
        .tag(3, WireType.LengthDelimited)
        .fork()
        .tag(1, WireType.LengthDelimited)
        .bytes(deltaBytes({ table: utf8(table) }))
        .join();
    expect(reasonOf(chunk((w) => w.tag(5, WireType.Varint).uint32(1)))).toBe("INVALID_FIELD");
    expect(
      reasonOf(
        chunk((w) => {
          deltas("todos")(w);
          w.tag(4, WireType.Varint).uint32(1).tag(5, WireType.Varint).uint32(1);
        }),
      ),
    ).toBe("INVALID_FIELD");
    expect(reasonOf(chunk((w) => deltas("todos")(w)))).toBe("INVALID_FIELD");
    expect(
      reasonOf(
        chunk((w) => {
          deltas("other")(w);
          w.tag(5, WireType.Varint).uint32(1);
        }),
      ),
    ).toBe("INVALID_FIELD");
    expect(
      reasonOf(
        chunk((w) => {
          deltas("todos")(w);
          w.tag(5, WireType.Varint).uint32(1);
        }),
      ),
    ).toBe("ok");
  });

  it("an error response needs a code of capitals, digits and underscores", () => {
    const bytes = (code: string) =>
      new BinaryWriter().tag(1, WireType.LengthDelimited).string(code).finish();
    expect(reasonOf(decodeErrorResponse(bytes("CLOCK_DRIFT")))).toBe("ok");
    for (const code of ["", "clock_drift", "1ABC", "A B"])
      expect(reasonOf(decodeErrorResponse(bytes(code)))).toBe("INVALID_FIELD");
  });

  it("every refusal is a WireError, a ValidationError with code INVALID_INPUT", () => {
    const result = decodeSyncPush(new Uint8Array([0x0a, 0x05]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(WireError);
    expect(result.error).toBeInstanceOf(ValidationError);
    expect(hasErrorCode(result.error, "INVALID_INPUT")).toBe(true);
    expect(isWireError(result.error, "TRUNCATED")).toBe(true);
    expect(isWireError({ ...result.error, name: "WireError", code: "INVALID_INPUT" })).toBe(true);
    expect(result.error.message).toContain("SyncPush");
  });

  it("a forged id passes unless ids are verified", () => {
    const encoded = encodeSyncPush({
      clientId: "phone",
      deltas: [
        {
          op: "UPDATE",
          table: "t",
          rowId: "r",
          clientId: "phone",
          hlc: 1n as HLCTimestamp,
          columns: [],
          deltaId: "ab".repeat(32),
        },
      ],
      lastSeenHlc: 0n as HLCTimestamp,
    });
    expect(encoded.ok).toBe(true);
    if (!encoded.ok) return;
    expect(reasonOf(decodeSyncPush(encoded.value))).toBe("ok");
    expect(reasonOf(decodeSyncPush(encoded.value, { verifyDeltaIds: true }))).toBe(
      "INVALID_DELTA_ID",
    );
  });
});
