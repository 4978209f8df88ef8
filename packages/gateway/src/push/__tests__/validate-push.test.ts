import { HLC, HLC_ZERO, type HLCTimestamp } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { delta } from "../../__tests__/fixtures.js";
import { validatePush, verifyDeltaId } from "../validate-push.js";

const NOW = 1_750_000_000_000;
const at = (ms: number) => (BigInt(ms) << 16n) as HLCTimestamp;
const clock = () => new HLC({ wallClock: () => NOW });
const LIMITS = { maxDeltas: 10, maxValueBytes: 64 };

describe("validatePush", () => {
  it("accepts a well-formed push within the drift limit", () => {
    const d = delta({ rowId: "r", hlc: at(NOW), columns: { title: "x" } });
    expect(
      validatePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO }, clock(), LIMITS)
        .ok,
    ).toBe(true);
  });

  it("refuses too many deltas, another client's delta, an empty write, and a clock too far ahead", () => {
    const ok = delta({ rowId: "r", hlc: at(NOW), columns: { title: "x" } });
    const code = (deltas: ReturnType<typeof delta>[], max = 10) => {
      const result = validatePush(
        { clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO },
        clock(),
        { ...LIMITS, maxDeltas: max },
      );
      return result.ok ? "ok" : result.error.code;
    };
    expect(code([ok, ok], 1)).toBe("TOO_MANY_DELTAS");
    expect(
      code([delta({ rowId: "r", hlc: at(NOW), clientId: "bob", columns: { title: "x" } })]),
    ).toBe("INVALID_INPUT");
    expect(code([delta({ op: "UPDATE", rowId: "r", hlc: at(NOW) })])).toBe("INVALID_INPUT");
    expect(code([delta({ rowId: "r", hlc: at(NOW + 60_000), columns: { title: "x" } })])).toBe(
      "CLOCK_DRIFT",
    );
  });

  it("verifyDeltaId refuses a delta whose id is not the hash of its content", () => {
    const d = delta({ rowId: "r", hlc: at(NOW), columns: { title: "x" } });
    expect(verifyDeltaId(d).ok).toBe(true);
    const result = verifyDeltaId({ ...d, deltaId: "0".repeat(64) });
    expect(!result.ok && result.error.message).toMatch(/does not carry the id of its content/);
  });

  it("refuses a value over the size limit with 413's code, naming the column", () => {
    const d = delta({ rowId: "r", hlc: at(NOW), columns: { title: "é".repeat(40) } });
    const result = validatePush(
      { clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO },
      clock(),
      LIMITS,
    );
    expect(!result.ok && result.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(!result.ok && result.error.message).toMatch(
      /todos\.title of row r holds 80 bytes; a value may hold at most 64/,
    );
  });
});
