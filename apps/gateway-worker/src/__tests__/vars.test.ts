import { describe, expect, it } from "vitest";
import { gatewayAllowed, intVar } from "../vars.js";

describe("Worker variables", () => {
  it("intVar reads positive integers and falls back for anything else", () => {
    expect(intVar("20", 7)).toBe(20);
    expect(intVar(undefined, 7)).toBe(7);
    expect(intVar("", 7)).toBe(7);
    expect(intVar("-3", 7)).toBe(7);
    expect(intVar("1.5", 7)).toBe(7);
    expect(intVar("lots", 7)).toBe(7);
  });

  it("a gateway id is served when listed or matching the pattern, not otherwise", () => {
    expect(gatewayAllowed("todos", { GATEWAY_IDS: "notes, todos" })).toBe(true);
    expect(gatewayAllowed("team-7", { GATEWAY_PATTERN: "team-\\d+" })).toBe(true);
    expect(gatewayAllowed("team-7x", { GATEWAY_PATTERN: "team-\\d+" })).toBe(false);
    expect(gatewayAllowed("other", {})).toBe(false);
  });
});
