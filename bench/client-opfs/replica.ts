/**
 * @module bench/client-opfs/replica
 * One replica as the persistence benchmark drives it, on the page's thread or in the worker: a
 * `LocalDB` on the chosen engine (seeded from the snapshot the page stored in IndexedDB), its
 * tracker, and "one write made durable" (a tracked insert, then `persist()`).
 */
import {
  IDBSnapshotStore,
  LocalDB,
  type LocalDBEngine,
  MemoryQueue,
  SyncTracker,
} from "@lakesync/client";
import { HLC, type Result } from "@lakesync/core";
import wasmUrl from "sql.js/dist/sql-wasm.wasm?url";

/** An open replica: `write` makes one tracked insert durable. */
export interface BenchReplica {
  readonly engine: string;
  write(id: string): Promise<Result<void, Error>>;
  close(): Promise<void>;
}

/** Opens the replica `name` on `engine`; with `opfs`, the stored snapshot is migrated first. */
export async function openBenchReplica(
  name: string,
  engine: LocalDBEngine,
): Promise<Result<BenchReplica, Error>> {
  const opened = await LocalDB.open({
    name,
    engine,
    snapshots: new IDBSnapshotStore(),
    sqlJs: { locateFile: () => wasmUrl },
    persistDebounceMs: 3_600_000,
  });
  if (!opened.ok) return opened;
  const db = opened.value;
  const tracker = new SyncTracker({
    db,
    queue: new MemoryQueue(),
    clock: new HLC(),
    clientId: "bench",
  });
  return {
    ok: true,
    value: {
      engine: db.engine,
      async write(id) {
        const row = { id, title: "one more", completed: false, owner: "alice", private: true };
        const inserted = await tracker.insert("todos", row);
        if (!inserted.ok) return inserted;
        return db.persist();
      },
      async close() {
        await db.close();
      },
    },
  };
}
