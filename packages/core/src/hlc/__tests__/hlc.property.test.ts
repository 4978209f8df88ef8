import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeHLC,
  encodeHLC,
  HLC,
  type HLCTimestamp,
  MAX_COUNTER,
  MAX_WALL_MS,
  unwrapOrThrow,
} from "../../index.js";

const T0 = 1_700_000_000_000;
const reading = fc.oneof(
  fc.integer({ min: T0 - 100_000, max: T0 + 100_000 }),
  fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, 0),
);

describe("HLC laws", () => {
  it("timestamps strictly increase under any sequence of wall-clock readings and receipts", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            wall: reading,
            remote: fc.option(
              fc.tuple(
                fc.integer({ min: T0 - 50_000, max: T0 + 50_000 }),
                fc.integer({ min: 0, max: MAX_COUNTER }),
              ),
            ),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        (steps) => {
          let wall = T0;
          const hlc = new HLC({ wallClock: () => wall });
          let last = 0n as HLCTimestamp;
          for (const step of steps) {
            wall = step.wall;
            let next: HLCTimestamp;
            if (step.remote) {
              const remote = unwrapOrThrow(encodeHLC(step.remote[0], step.remote[1]));
              const result = hlc.recv(remote);
              if (!result.ok) continue;
              expect(result.value > remote).toBe(true);
              next = result.value;
            } else {
              next = hlc.now();
            }
            expect(next > last).toBe(true);
            last = next;
          }
        },
      ),
    );
  });

  it("encode and decode round-trip every valid pair", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_WALL_MS }),
        fc.integer({ min: 0, max: MAX_COUNTER }),
        (wallMs, counter) => {
          expect(decodeHLC(unwrapOrThrow(encodeHLC(wallMs, counter)))).toEqual({ wallMs, counter });
        },
      ),
    );
  });

  it("the order of timestamps is the order of (wall, counter) pairs", () => {
    const pair = fc.tuple(
      fc.integer({ min: 0, max: MAX_WALL_MS }),
      fc.integer({ min: 0, max: MAX_COUNTER }),
    );
    fc.assert(
      fc.property(pair, pair, ([w1, c1], [w2, c2]) => {
        const a = unwrapOrThrow(encodeHLC(w1, c1));
        const b = unwrapOrThrow(encodeHLC(w2, c2));
        expect(a < b).toBe(w1 < w2 || (w1 === w2 && c1 < c2));
      }),
    );
  });
});
