import { describe, expect, it } from "vitest";
import { logRewriteAfterTrimmed } from "../vars.js";

describe("Worker variables", () => {
  it("LOG_REWRITE_AFTER_TRIMMED sets when the log storage is rewritten", () => {
    expect(logRewriteAfterTrimmed({ LOG_REWRITE_AFTER_TRIMMED: "20" })).toBe(20);
  });

  it("the old name COMPACT_AFTER_TRIMMED still works, and the new name wins over it", () => {
    expect(logRewriteAfterTrimmed({ COMPACT_AFTER_TRIMMED: "30" })).toBe(30);
    expect(
      logRewriteAfterTrimmed({ COMPACT_AFTER_TRIMMED: "30", LOG_REWRITE_AFTER_TRIMMED: "20" }),
    ).toBe(20);
  });

  it("defaults to 100,000, also for values that are not positive integers", () => {
    expect(logRewriteAfterTrimmed({})).toBe(100_000);
    expect(logRewriteAfterTrimmed({ LOG_REWRITE_AFTER_TRIMMED: "-3" })).toBe(100_000);
  });
});
