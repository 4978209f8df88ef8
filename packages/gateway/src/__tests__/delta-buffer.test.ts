import { describe, expect, it } from "vitest";
import { DeltaBuffer } from "../buffer/delta-buffer.js";
import { ChangeLog } from "../log/change-log.js";
import type { LogEntry } from "../log/log-entry.js";
import { delta, hlcAt, ManualClock } from "./fixtures.js";

const clock = new ManualClock();
const entry = (i: number, title = "x"): LogEntry => ({
  seq: hlcAt(clock, 10, i),
  delta: delta({ rowId: `r${i}`, hlc: hlcAt(clock, 0, i), columns: { title } }),
});

describe("DeltaBuffer", () => {
  it("estimates bytes and flushes by size or by age", () => {
    const buffer = new DeltaBuffer();
    expect(buffer.shouldFlush({ maxBytes: 1, maxAgeMs: 0 }, 0)).toBe(false);
    buffer.append([entry(1, "a".repeat(1000))], 100);
    expect(buffer.byteSize).toBeGreaterThan(1000);
    expect(buffer.shouldFlush({ maxBytes: 2000, maxAgeMs: 50 }, 120)).toBe(false);
    expect(buffer.shouldFlush({ maxBytes: 2000, maxAgeMs: 50 }, 150)).toBe(true);
    expect(buffer.shouldFlush({ maxBytes: 1000, maxAgeMs: 1e9 }, 100)).toBe(true);
  });

  it("keeps drained entries until they are committed, and commits only up to a seq", () => {
    const buffer = new DeltaBuffer();
    buffer.append([entry(1), entry(2)], 0);
    const batch = buffer.drain(Number.POSITIVE_INFINITY);
    buffer.append([entry(3)], 5);
    expect(buffer.length).toBe(3);
    buffer.commit(batch[batch.length - 1]?.seq ?? hlcAt(clock), 10);
    expect(buffer.drain(Number.POSITIVE_INFINITY).map((e) => e.delta.rowId)).toEqual(["r3"]);
    buffer.commit(hlcAt(clock, 10, 3), 11);
    expect(buffer.length).toBe(0);
    expect(buffer.byteSize).toBe(0);
  });
});

describe("ChangeLog", () => {
  it("reads pages after a cursor and reports the head when the end is reached", () => {
    const log = new ChangeLog();
    log.append([1, 2, 3, 4, 5].map((i) => entry(i)));
    const first = log.read(hlcAt(clock, 10, 1), 2, () => true);
    expect(first.entries.map((e) => e.delta.rowId)).toEqual(["r2", "r3"]);
    expect(first.hasMore).toBe(true);
    const rest = log.read(first.cursor, 10, (e) => e.delta.rowId !== "r4");
    expect(rest.entries.map((e) => e.delta.rowId)).toEqual(["r5"]);
    expect(rest.cursor).toBe(log.head);
    expect(rest.hasMore).toBe(false);
  });

  it("advances the cursor past filtered entries so the next page starts after them", () => {
    const log = new ChangeLog();
    log.append([1, 2, 3].map((i) => entry(i)));
    const page = log.read(0n as LogEntry["seq"], 10, () => false, 2);
    expect(page.entries).toEqual([]);
    expect(page.cursor).toBe(hlcAt(clock, 10, 2));
    expect(page.hasMore).toBe(true);
  });

  it("trims old entries and moves the horizon", () => {
    const log = new ChangeLog();
    log.append([1, 2, 3].map((i) => entry(i)));
    log.trim(hlcAt(clock, 10, 2));
    expect(log.length).toBe(1);
    expect(log.horizon).toBe(hlcAt(clock, 10, 2));
  });
});
