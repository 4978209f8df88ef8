import {
  encodeHLC,
  HLC,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  type TableSchema,
  TestClock,
  unwrapOrThrow,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { SyncTracker } from "../../tracker/sync-tracker.js";
import type { SyncTransport } from "../../transport/sync-transport.js";
import { type InitialSyncProgress, SyncCoordinator } from "../sync-coordinator.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
  ],
};
const clock = new TestClock();
const T = unwrapOrThrow(encodeHLC(clock.read() - 60_000, 0));
const SNAPSHOT = (T + 1_000n) as HLCTimestamp;

function row(i: number, clientId = "server", hlc = T + BigInt(i)): RowDelta {
  return {
    op: "UPDATE",
    table: "todos",
    rowId: `todo-${i}`,
    clientId,
    columns: [
      { column: "title", value: `todo ${i}` },
      { column: "done", value: i % 2 === 0 },
    ],
    hlc: hlc as HLCTimestamp,
    deltaId: "0".repeat(64),
  };
}

/** A gateway that serves a checkpoint of `rows` rows in chunks of `perChunk`, and nothing after. */
function checkpointTransport(rows: number, perChunk: number): SyncTransport {
  const chunkCount = Math.ceil(rows / perChunk);
  return {
    push: async () => Ok({ serverHlc: SNAPSHOT }),
    pull: async () => Ok({ deltas: [], serverHlc: SNAPSHOT, hasMore: false }),
    checkpoint: async (onChunk) => {
      for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex++) {
        const deltas = Array.from(
          { length: Math.min(perChunk, rows - chunkIndex * perChunk) },
          (_, i) => row(chunkIndex * perChunk + i),
        );
        const chunk: CheckpointChunk = {
          table: "todos",
          payload: { kind: "deltas", deltas },
          chunkIndex,
          chunkCount,
          snapshotHlc: SNAPSHOT,
        };
        const applied = await onChunk(chunk);
        if (!applied.ok) return applied;
      }
      return Ok({ snapshotHlc: SNAPSHOT, chunks: chunkCount });
    },
  };
}

async function replica(transport: SyncTransport) {
  const db = unwrapOrThrow(await LocalDB.open({ persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  const queue = new MemoryQueue({ now: clock.read });
  const hlc = new HLC({ wallClock: clock.read });
  const sync = new SyncCoordinator({ db, queue, transport, clock: hlc, clientId: "me" });
  const tracker = new SyncTracker({ db, queue, clock: hlc, clientId: "me" });
  return { db, sync, tracker };
}

const count = (db: LocalDB) =>
  unwrapOrThrow(db.queryValues("SELECT count(*) FROM todos"))[0]?.[0] ?? -1;

describe("initial sync from a checkpoint", () => {
  it("reports progress after every chunk, with the rows already queryable", async () => {
    const { db, sync } = await replica(checkpointTransport(1_050, 250));
    const progress: InitialSyncProgress[] = [];
    const queryable: unknown[] = [];
    sync.onProgress((p) => {
      progress.push(p);
      queryable.push(count(db));
    });
    unwrapOrThrow(await sync.syncNow());
    expect(progress).toEqual([
      { chunkIndex: 0, chunkCount: 5, rows: 250 },
      { chunkIndex: 1, chunkCount: 5, rows: 500 },
      { chunkIndex: 2, chunkCount: 5, rows: 750 },
      { chunkIndex: 3, chunkCount: 5, rows: 1_000 },
      { chunkIndex: 4, chunkCount: 5, rows: 1_050 },
    ]);
    expect(queryable).toEqual([250, 500, 750, 1_000, 1_050]);
    expect(sync.lastSyncedHlc()).toBe(SNAPSHOT);
  });

  it("stops reporting to a listener that unsubscribed", async () => {
    const { sync } = await replica(checkpointTransport(300, 100));
    const progress: InitialSyncProgress[] = [];
    const stop = sync.onProgress((p) => {
      progress.push(p);
      stop();
    });
    unwrapOrThrow(await sync.syncNow());
    expect(progress.map((p) => p.chunkIndex)).toEqual([0]);
  });

  it("keeps a write made before the first sync when it is newer than the checkpoint's row", async () => {
    const { db, sync, tracker } = await replica(checkpointTransport(10, 4));
    unwrapOrThrow(await tracker.insert("todos", { id: "todo-3", title: "mine", done: false }));
    unwrapOrThrow(await sync.syncNow());
    const title = unwrapOrThrow(db.queryValues("SELECT title FROM todos WHERE id = 'todo-3'"));
    expect(title).toEqual([["mine"]]);
    expect(count(db)).toBe(10);
  });
});
