/**
 * The outbox behaviour every SyncQueue implementation must have; run by one test file each.
 */
import { deltaId, encodeHLC, type RowDelta, TestClock, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import type { SyncQueue } from "../sync-queue.js";

function delta(n: number, clientId = "phone"): RowDelta {
  const hlc = unwrapOrThrow(encodeHLC(1_700_000_000_000 + n, 0));
  const columns = [{ column: "title", value: `todo ${n}` }];
  const base = { table: "todos", rowId: `t${n}`, clientId, hlc, columns };
  return { ...base, op: "INSERT", deltaId: deltaId(base) };
}

/** Registers the shared outbox cases for a queue built by `make` with the given clock. */
export function queueConformance(
  name: string,
  make: (clock: TestClock) => Promise<SyncQueue>,
): void {
  describe(`${name} (outbox conformance)`, () => {
    const setup = async () => {
      const clock = new TestClock(1_000);
      return { clock, queue: await make(clock) };
    };
    const ids = (entries: { id: string }[]) => entries.map((e) => e.id);

    it("keeps pushed deltas in order and counts them", async () => {
      const { queue } = await setup();
      const ds = [delta(1), delta(2), delta(3)];
      unwrapOrThrow(await queue.push(ds));
      expect(unwrapOrThrow(await queue.depth())).toBe(3);
      expect(ids(unwrapOrThrow(await queue.peek(10)))).toEqual(ds.map((d) => d.deltaId));
    });

    it("keeps a re-pushed delta once", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push([delta(1)]));
      unwrapOrThrow(await queue.push([delta(1), delta(2)]));
      expect(unwrapOrThrow(await queue.depth())).toBe(2);
    });

    it("round-trips the delta exactly, HLC included", async () => {
      const { queue } = await setup();
      const d = delta(7);
      unwrapOrThrow(await queue.push([d]));
      const [entry] = unwrapOrThrow(await queue.peek(1));
      expect(entry?.delta).toEqual(d);
      expect(typeof entry?.delta.hlc).toBe("bigint");
    });

    it("claim marks the oldest entries as sending and never hands them out twice", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push([delta(1), delta(2), delta(3)]));
      const first = unwrapOrThrow(await queue.claim({ max: 2 }));
      expect(ids(first)).toEqual([delta(1).deltaId, delta(2).deltaId]);
      expect(first.every((e) => e.status === "sending")).toBe(true);
      const second = unwrapOrThrow(await queue.claim({ max: 5 }));
      expect(ids(second)).toEqual([delta(3).deltaId]);
      expect(unwrapOrThrow(await queue.claim({ max: 5 }))).toEqual([]);
    });

    it("concurrent claims split the entries between them", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push(Array.from({ length: 20 }, (_, i) => delta(i))));
      const [a, b] = await Promise.all([queue.claim({ max: 15 }), queue.claim({ max: 15 })]);
      const all = [...ids(unwrapOrThrow(a)), ...ids(unwrapOrThrow(b))];
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(20);
    });

    it("ack removes entries for good", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push([delta(1), delta(2)]));
      const claimed = unwrapOrThrow(await queue.claim({ max: 1 }));
      unwrapOrThrow(await queue.ack(ids(claimed)));
      expect(unwrapOrThrow(await queue.depth())).toBe(1);
      expect(ids(unwrapOrThrow(await queue.peek(5)))).toEqual([delta(2).deltaId]);
    });

    it("nack returns entries to pending, counts the retry and honours the delay", async () => {
      const { queue, clock } = await setup();
      unwrapOrThrow(await queue.push([delta(1)]));
      const claimed = unwrapOrThrow(await queue.claim({ max: 1 }));
      unwrapOrThrow(await queue.nack(ids(claimed), 500));
      expect(unwrapOrThrow(await queue.claim({ max: 1 }))).toEqual([]);
      clock.advance(500);
      const again = unwrapOrThrow(await queue.claim({ max: 1 }));
      expect(again[0]?.retries).toBe(1);
    });

    it("a claim whose sender died expires after its lease and is claimed again", async () => {
      const { queue, clock } = await setup();
      unwrapOrThrow(await queue.push([delta(1)]));
      unwrapOrThrow(await queue.claim({ max: 1, leaseMs: 1_000 }));
      clock.advance(999);
      expect(unwrapOrThrow(await queue.claim({ max: 1 }))).toEqual([]);
      clock.advance(1);
      expect(ids(unwrapOrThrow(await queue.claim({ max: 1 })))).toEqual([delta(1).deltaId]);
    });

    it("releaseClaims hands a dead sender's claims out again at once, without a retry", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push([delta(1), delta(2)]));
      unwrapOrThrow(await queue.claim({ max: 1 }));
      expect(unwrapOrThrow(await queue.releaseClaims())).toBe(1);
      const again = unwrapOrThrow(await queue.claim({ max: 5 }));
      expect(ids(again)).toEqual([delta(1).deltaId, delta(2).deltaId]);
      expect(again.map((e) => e.retries)).toEqual([0, 0]);
      expect(unwrapOrThrow(await queue.depth())).toBe(2);
    });

    it("markSending claims exactly the given entries", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push([delta(1), delta(2)]));
      unwrapOrThrow(await queue.markSending([delta(2).deltaId]));
      expect(ids(unwrapOrThrow(await queue.claim({ max: 5 })))).toEqual([delta(1).deltaId]);
    });

    it("clear empties the outbox", async () => {
      const { queue } = await setup();
      unwrapOrThrow(await queue.push([delta(1), delta(2)]));
      unwrapOrThrow(await queue.clear());
      expect(unwrapOrThrow(await queue.depth())).toBe(0);
      expect(unwrapOrThrow(await queue.peek(5))).toEqual([]);
    });
  });
}
