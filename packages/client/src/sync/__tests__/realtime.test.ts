/**
 * Realtime messages that carry deltas: applied at once in one transaction when they follow on
 * the replica's cursor, and a pull otherwise (a gap, a bare "changed", a message too large for
 * the gateway to send whole).
 */
import {
  deltaId,
  encodeHLC,
  HLC,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import type { SyncNotification } from "@lakesync/proto";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { readRow } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import type { SyncTransport } from "../../transport/sync-transport.js";
import { CURSOR_KEY } from "../initial-sync.js";
import { SyncCoordinator } from "../sync-coordinator.js";

const todos: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
const stamp = (n: number) =>
  (unwrapOrThrow(encodeHLC(1_700_000_000_000, 0)) + BigInt(n)) as HLCTimestamp;

function todo(rowId: string, title: string, n: number): RowDelta {
  const columns = [{ column: "title", value: title }];
  const hlc = stamp(n);
  return {
    op: "INSERT",
    table: "todos",
    rowId,
    clientId: "other",
    columns,
    hlc,
    deltaId: deltaId({ clientId: "other", hlc, table: "todos", rowId, columns }),
  };
}

/** A gateway log served by seq, whose realtime messages the test sends by hand. */
class ScriptedGateway {
  readonly log: { seq: HLCTimestamp; delta: RowDelta }[] = [];
  pulls = 0;
  subscribedAs: string | undefined;
  #listener: ((n?: SyncNotification) => void) | undefined;

  /** Logs a delta without telling anyone; returns its seq. */
  write(delta: RowDelta): HLCTimestamp {
    const seq = stamp(this.log.length + 1);
    this.log.push({ seq, delta });
    return seq;
  }

  send(notification?: SyncNotification): void {
    this.#listener?.(notification);
  }

  transport(): SyncTransport {
    return {
      push: async () => Ok({ serverHlc: stamp(this.log.length) }),
      pull: async (request) => {
        this.pulls++;
        const after = this.log.filter((e) => e.seq > request.sinceHlc);
        return Ok({
          deltas: after.map((e) => e.delta),
          serverHlc: after[after.length - 1]?.seq ?? request.sinceHlc,
          hasMore: false,
        });
      },
      subscribe: (listener, options) => {
        this.#listener = listener;
        this.subscribedAs = options?.clientId;
        return () => {
          this.#listener = undefined;
        };
      },
    };
  }
}

async function setup() {
  const gateway = new ScriptedGateway();
  const db = unwrapOrThrow(await LocalDB.open({ name: "b", persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  const sync = new SyncCoordinator({
    db,
    queue: new MemoryQueue(),
    transport: gateway.transport(),
    clock: new HLC(),
    clientId: "b",
    intervalMs: 3_600_000,
  });
  /**
   * Resolves when the cycle under way has ended: its "synced" event, then one turn of the event
   * loop for what follows it (the fake gateway does no I/O, so nothing else is pending).
   */
  const settle = () =>
    new Promise<void>((resolve) => {
      const stop = sync.onStatus((e) => {
        if (e.status !== "synced") return;
        stop();
        setTimeout(resolve, 0);
      });
    });
  // The first cycle gives the replica a cursor (the first write's seq).
  const first = gateway.write(todo("t0", "before", 1));
  const started = settle();
  sync.start();
  await started;
  expect(sync.lastSyncedHlc()).toBe(first);
  const title = (rowId: string) =>
    (unwrapOrThrow(readRow(db, "todos", rowId)) as { title?: string } | null)?.title;
  return { gateway, db, sync, title, settle, first };
}

const deltasMessage = (
  sinceHlc: HLCTimestamp,
  serverHlc: HLCTimestamp,
  deltas: RowDelta[],
  evicted: { table: string; rowId: string }[] = [],
): SyncNotification => ({
  kind: "deltas",
  sinceHlc,
  serverHlc,
  deltas,
  tables: ["todos"],
  ...(evicted.length > 0 ? { evicted } : {}),
});

describe("realtime messages with deltas", () => {
  it("subscribe with the client's id, so the gateway can leave its own writes out", async () => {
    const { gateway, sync } = await setup();
    expect(gateway.subscribedAs).toBe("b");
    sync.stop();
  });

  it("one that follows on the cursor is applied without a pull, and moves the cursor", async () => {
    const { gateway, sync, title, first } = await setup();
    const pulls = gateway.pulls;
    const d = todo("t1", "live", 2);
    const seq = gateway.write(d);
    gateway.send(deltasMessage(first, seq, [d]));
    // Applied synchronously, in the message's own turn.
    expect(title("t1")).toBe("live");
    expect(sync.lastSyncedHlc()).toBe(seq);
    expect(gateway.pulls).toBe(pulls);
    sync.stop();
  });

  it("its deltas and evictions land in one transaction: a failure leaves rows and cursor as they were", async () => {
    const { gateway, db, sync, title, first, settle } = await setup();
    const good = todo("t1", "live", 2);
    const unknown = { ...todo("t2", "x", 3), table: "projects" };
    const seq = gateway.write(good);
    const pulled = settle();
    gateway.send(deltasMessage(first, seq, [good, unknown]));
    // Nothing of the failed message was applied: not its good delta, not its cursor.
    expect(title("t1")).toBeUndefined();
    expect(unwrapOrThrow(db.getMeta(CURSOR_KEY))).toBe(first.toString());
    await pulled;
    // The message failed (an unknown table), so the pull fetched what the gateway has.
    expect(title("t1")).toBe("live");
    expect(unwrapOrThrow(db.getMeta(CURSOR_KEY))).toBe(seq.toString());
    sync.stop();
  });

  it("evicts rows that left the user's view", async () => {
    const { gateway, sync, title, first } = await setup();
    const seq = gateway.write(todo("t0", "before", 1));
    gateway.send(deltasMessage(first, seq, [], [{ table: "todos", rowId: "t0" }]));
    expect(title("t0")).toBeUndefined();
    expect(sync.lastSyncedHlc()).toBe(seq);
    sync.stop();
  });

  it("a gap (the message does not follow on the cursor) falls back to a pull", async () => {
    const { gateway, sync, title, settle } = await setup();
    const missed = gateway.write(todo("t1", "missed", 2));
    const d = todo("t2", "live", 3);
    const seq = gateway.write(d);
    const pulls = gateway.pulls;
    const pulled = settle();
    gateway.send(deltasMessage(missed, seq, [d]));
    await pulled;
    expect(gateway.pulls).toBeGreaterThan(pulls);
    expect(title("t1")).toBe("missed");
    expect(title("t2")).toBe("live");
    expect(sync.lastSyncedHlc()).toBe(seq);
    sync.stop();
  });

  it("a bare 'changed' (a message too large, an older gateway) falls back to a pull", async () => {
    const { gateway, sync, title, settle } = await setup();
    const seq = gateway.write(todo("t1", "big", 2));
    const pulls = gateway.pulls;
    const pulled = settle();
    gateway.send({ serverHlc: seq, tables: ["todos"], deltas: [] });
    await pulled;
    expect(gateway.pulls).toBeGreaterThan(pulls);
    expect(title("t1")).toBe("big");
    sync.stop();
  });

  it("one the replica already holds changes nothing and pulls nothing", async () => {
    const { gateway, sync, title, first } = await setup();
    const pulls = gateway.pulls;
    gateway.send(deltasMessage(stamp(0), first, [todo("t0", "stale", 0)]));
    expect(title("t0")).toBe("before");
    expect(gateway.pulls).toBe(pulls);
    sync.stop();
  });

  it("one that arrives during a cycle is applied after it, without another pull", async () => {
    const { gateway, sync, title, first, settle } = await setup();
    const ended = settle();
    void sync.syncNow();
    const pulls = gateway.pulls;
    const d = todo("t1", "during", 2);
    const seq = gateway.write(d);
    gateway.send(deltasMessage(first, seq, [d]));
    await ended;
    expect(title("t1")).toBe("during");
    expect(sync.lastSyncedHlc()).toBe(seq);
    // The cycle's own pull may have fetched it too; no extra cycle was started for it.
    expect(gateway.pulls - pulls).toBeLessThanOrEqual(1);
    sync.stop();
  });
});
