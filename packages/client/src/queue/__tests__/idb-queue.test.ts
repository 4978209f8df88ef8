import "fake-indexeddb/auto";
import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { IDBQueue } from "../idb-queue.js";
import { queueConformance } from "./queue-conformance.js";

let n = 0;
queueConformance("IDBQueue", async (clock) =>
  unwrapOrThrow(await IDBQueue.open({ name: `outbox-${n++}`, now: clock.read })),
);

describe("IDBQueue durability", () => {
  it("entries survive closing and reopening the database", async () => {
    const name = `outbox-reopen-${n++}`;
    const first = unwrapOrThrow(await IDBQueue.open({ name }));
    const { deltaId, encodeHLC } = await import("@lakesync/core");
    const hlc = unwrapOrThrow(encodeHLC(1_700_000_000_000, 0));
    const base = {
      table: "todos",
      rowId: "t1",
      clientId: "c",
      hlc,
      columns: [{ column: "a", value: 1 }],
    };
    unwrapOrThrow(await first.push([{ ...base, op: "INSERT", deltaId: deltaId(base) }]));
    first.close();
    const second = unwrapOrThrow(await IDBQueue.open({ name }));
    expect(unwrapOrThrow(await second.depth())).toBe(1);
    expect(unwrapOrThrow(await second.peek(1))[0]?.delta.hlc).toBe(hlc);
  });

  it("operations on a closed database are errors, not throws", async () => {
    const queue = unwrapOrThrow(await IDBQueue.open({ name: `outbox-closed-${n++}` }));
    queue.close();
    const result = await queue.depth();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("QUEUE_ERROR");
  });
});
