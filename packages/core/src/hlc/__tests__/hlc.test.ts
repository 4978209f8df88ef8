import { describe, expect, it } from "vitest";
import {
  compareHLC,
  decodeHLC,
  encodeHLC,
  formatHLC,
  HLC,
  HLC_MAX,
  type HLCTimestamp,
  parseHLC,
  TestClock,
  toHLC,
  unwrapOrThrow,
} from "../../index.js";

const T0 = 1_700_000_000_000;
const stamp = (wall: number, counter: number): HLCTimestamp =>
  unwrapOrThrow(encodeHLC(wall, counter));

describe("HLC", () => {
  it("now() follows the wall clock with a zero counter when time moves on", () => {
    const clock = new TestClock(T0);
    const hlc = new HLC({ wallClock: clock.read });
    expect(decodeHLC(hlc.now())).toEqual({ wallMs: T0, counter: 0 });
    clock.advance(5);
    expect(decodeHLC(hlc.now())).toEqual({ wallMs: T0 + 5, counter: 0 });
  });

  it("now() increments the counter within one millisecond", () => {
    const hlc = new HLC({ wallClock: () => T0 });
    hlc.now();
    expect(decodeHLC(hlc.now())).toEqual({ wallMs: T0, counter: 1 });
    expect(decodeHLC(hlc.now())).toEqual({ wallMs: T0, counter: 2 });
  });

  it("a wall clock that jumps backwards never makes timestamps go backwards", () => {
    const clock = new TestClock(T0);
    const hlc = new HLC({ wallClock: clock.read });
    const before = hlc.now();
    clock.set(T0 - 60_000);
    const after = hlc.now();
    expect(after > before).toBe(true);
    expect(decodeHLC(after)).toEqual({ wallMs: T0, counter: 1 });
  });

  it("counter overflow past 65535 borrows the next millisecond instead of repeating", () => {
    const hlc = new HLC({ wallClock: () => T0, last: stamp(T0, 65_535) });
    expect(decodeHLC(hlc.now())).toEqual({ wallMs: T0 + 1, counter: 0 });
  });

  it("negative, NaN and infinite wall-clock readings are ignored", () => {
    let reading = T0;
    const hlc = new HLC({ wallClock: () => reading });
    const first = hlc.now();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      reading = bad;
      const next = hlc.now();
      expect(next > first).toBe(true);
      expect(decodeHLC(next).wallMs).toBe(T0);
    }
  });

  it("recv() moves past a remote stamp from the same millisecond", () => {
    const hlc = new HLC({ wallClock: () => T0 });
    hlc.now();
    const merged = unwrapOrThrow(hlc.recv(stamp(T0, 7)));
    expect(decodeHLC(merged)).toEqual({ wallMs: T0, counter: 8 });
    expect(hlc.now() > merged).toBe(true);
  });

  it("recv() adopts a remote clock that is ahead within the drift limit", () => {
    const hlc = new HLC({ wallClock: () => T0 });
    const merged = unwrapOrThrow(hlc.recv(stamp(T0 + 4_000, 3)));
    expect(decodeHLC(merged)).toEqual({ wallMs: T0 + 4_000, counter: 4 });
  });

  it("recv() rejects a remote stamp more than 5 s ahead with CLOCK_DRIFT and stays unchanged", () => {
    const hlc = new HLC({ wallClock: () => T0 });
    const before = hlc.now();
    const result = hlc.recv(stamp(T0 + 5_001, 0));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("CLOCK_DRIFT");
    expect(hlc.peek()).toBe(before);
  });

  it("recv() accepts exactly the drift limit and honours a custom limit", () => {
    expect(new HLC({ wallClock: () => T0 }).recv(stamp(T0 + 5_000, 0)).ok).toBe(true);
    expect(new HLC({ wallClock: () => T0, maxDriftMs: 100 }).recv(stamp(T0 + 101, 0)).ok).toBe(
      false,
    );
  });

  it("recv() judges drift against the wall clock: accepted stamps cannot ratchet the clock ahead", () => {
    const hlc = new HLC({ wallClock: () => T0 });
    for (let i = 0; i < 1_000; i++) {
      const ahead = stamp(T0 + 4_900 + i * 4_900, 0);
      hlc.recv(ahead);
    }
    expect(decodeHLC(hlc.peek()).wallMs - T0).toBeLessThanOrEqual(5_000);
    expect(hlc.recv(stamp(T0 + 1_000, 0)).ok).toBe(true);
  });

  it("recv() of a value that is not a 64-bit stamp is an Err, not a throw", () => {
    const hlc = new HLC({ wallClock: () => T0 });
    expect(hlc.recv(-1n as HLCTimestamp).ok).toBe(false);
    expect(hlc.recv((1n << 64n) as HLCTimestamp).ok).toBe(false);
  });

  it("resumes after a restart from the last stamp without going backwards", () => {
    const last = stamp(T0 + 10, 4);
    const hlc = new HLC({ wallClock: () => T0, last });
    expect(hlc.now() > last).toBe(true);
  });
});

describe("HLC timestamps", () => {
  it("encode and decode are inverse", () => {
    expect(decodeHLC(stamp(T0, 123))).toEqual({ wallMs: T0, counter: 123 });
  });

  it("the wall clock occupies the high 48 bits and the counter the low 16", () => {
    expect(stamp(1, 0)).toBe(65_536n);
    expect(stamp(0, 65_535)).toBe(65_535n);
    expect(stamp(2 ** 48 - 1, 65_535)).toBe(HLC_MAX);
  });

  it("encode rejects negative walls, huge counters and non-integers", () => {
    expect(encodeHLC(-1, 0).ok).toBe(false);
    expect(encodeHLC(2 ** 48, 0).ok).toBe(false);
    expect(encodeHLC(T0, 65_536).ok).toBe(false);
    expect(encodeHLC(T0, -1).ok).toBe(false);
    expect(encodeHLC(T0 + 0.5, 0).ok).toBe(false);
    expect(encodeHLC(Number.NaN, 0).ok).toBe(false);
  });

  it("compare orders by wall clock, then counter", () => {
    expect(compareHLC(stamp(T0, 9), stamp(T0 + 1, 0))).toBe(-1);
    expect(compareHLC(stamp(T0, 2), stamp(T0, 1))).toBe(1);
    expect(compareHLC(stamp(T0, 2), stamp(T0, 2))).toBe(0);
  });

  it("the decimal string form round-trips, including the maximum", () => {
    for (const ts of [stamp(T0, 1), HLC_MAX, stamp(0, 0)]) {
      expect(unwrapOrThrow(parseHLC(formatHLC(ts)))).toBe(ts);
    }
  });

  it("parse rejects junk and values wider than 64 bits", () => {
    for (const bad of [
      "",
      "-1",
      "12a",
      "1e5",
      " 1",
      "18446744073709551616",
      "99999999999999999999",
    ]) {
      expect(parseHLC(bad).ok, bad).toBe(false);
    }
    expect(toHLC(-5n).ok).toBe(false);
  });
});
