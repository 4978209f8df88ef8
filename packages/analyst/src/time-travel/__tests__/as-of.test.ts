import { describe, expect, it } from "vitest";
import { parseAsOf } from "../as-of.js";

describe("parseAsOf", () => {
  it("tells HLCs, snapshot ids and times apart", () => {
    expect(parseAsOf("123456789012345678")).toEqual({
      ok: true,
      value: { kind: "hlc", hlc: 123456789012345678n },
    });
    expect(parseAsOf("4242")).toEqual({ ok: true, value: { kind: "snapshot", snapshotId: 4242 } });
    expect(parseAsOf("hlc:42")).toEqual({ ok: true, value: { kind: "hlc", hlc: 42n } });
    expect(parseAsOf("snapshot:7")).toEqual({
      ok: true,
      value: { kind: "snapshot", snapshotId: 7 },
    });
    expect(parseAsOf("2026-12-01T10:00:00Z")).toEqual({
      ok: true,
      value: { kind: "time", timestampMs: Date.UTC(2026, 11, 1, 10) },
    });
  });

  it("refuses anything else with INVALID_INPUT", () => {
    for (const text of ["yesterday", "", "hlc:x", "snapshot:-1", "2026-13-45", "1e9"]) {
      const parsed = parseAsOf(text);
      expect(parsed.ok ? undefined : parsed.error.code).toBe("INVALID_INPUT");
    }
  });
});
