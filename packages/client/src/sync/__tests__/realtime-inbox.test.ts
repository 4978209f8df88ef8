/**
 * When the realtime inbox calls the replica current (the condition for a cycle without a pull,
 * ADR-018): live since a completed pull began, with every message since then applied.
 */
import { encodeHLC, HLC, type HLCTimestamp, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import type { SyncNotification } from "@lakesync/proto";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { registerSchema } from "../../db/schema-registry.js";
import { CURSOR_KEY } from "../initial-sync.js";
import { RealtimeInbox } from "../realtime-inbox.js";

const todos: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
const stamp = (n: number) =>
  (unwrapOrThrow(encodeHLC(1_700_000_000_000, 0)) + BigInt(n)) as HLCTimestamp;
const message = (since: number, to: number): SyncNotification => ({
  kind: "deltas",
  sinceHlc: stamp(since),
  serverHlc: stamp(to),
  tables: [],
  deltas: [],
});

/** An inbox over a replica whose cursor is at seq 1. */
async function inbox() {
  const db = unwrapOrThrow(await LocalDB.open({ name: "inbox", persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  unwrapOrThrow(db.setMeta(CURSOR_KEY, stamp(1).toString()));
  return new RealtimeInbox({ db, clock: new HLC(), schemaMismatch: () => {} });
}

/** An inbox that is current: live, then a completed pull. */
async function current() {
  const box = await inbox();
  box.connection(true);
  box.pullStarted();
  box.pullEnded(true);
  expect(box.current).toBe(true);
  return box;
}

describe("RealtimeInbox.current", () => {
  it("is false until a pull completes while the subscription is live", async () => {
    const box = await inbox();
    box.pullStarted();
    box.pullEnded(true);
    expect(box.current).toBe(false);
    box.connection(true);
    expect(box.current).toBe(false);
    box.pullStarted();
    box.pullEnded(true);
    expect(box.current).toBe(true);
  });

  it("stays true while messages follow on the cursor, kept ones included", async () => {
    const box = await current();
    expect(box.receive(message(1, 2), false)).toBe(false);
    expect(box.receive(message(2, 3), true)).toBe(false);
    expect(box.drain()).toBe(false);
    expect(box.current).toBe(true);
  });

  it("is false after the connection drops, and after it comes back until the next pull", async () => {
    const box = await current();
    box.connection(false);
    expect(box.current).toBe(false);
    box.connection(true);
    expect(box.current).toBe(false);
  });

  it("is false after a bare 'changed' or a gap, which ask for a pull", async () => {
    const changed = await current();
    expect(changed.receive({ serverHlc: stamp(2), tables: [], deltas: [] }, false)).toBe(true);
    expect(changed.current).toBe(false);
    const gap = await current();
    expect(gap.receive(message(2, 3), false)).toBe(true);
    expect(gap.current).toBe(false);
  });

  it("a doubt while a pull runs, or a failed pull, leaves it false", async () => {
    const box = await current();
    box.pullStarted();
    box.receive(undefined, true);
    box.pullEnded(true);
    expect(box.current).toBe(false);
    box.pullStarted();
    box.pullEnded(false);
    expect(box.current).toBe(false);
    box.pullStarted();
    box.pullEnded(true);
    expect(box.current).toBe(true);
  });
});
