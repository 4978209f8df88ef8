/**
 * @module replica/replica-engine
 * Everything one replica is made of (local database, outbox, tracker, sync loop), opened in the
 * one tab that hosts it.
 */
import {
  HLC,
  type LakeSyncError,
  Ok,
  parseHLC,
  type Result,
  type TableSchema,
} from "@lakesync/core";
import { LocalDB, type LocalDBEngine, type LocalDBOptions } from "../db/local-db.js";
import { registerSchema } from "../db/schema-registry.js";
import { IDBSnapshotStore, type SnapshotStore } from "../db/snapshot-store.js";
import { IDBQueue } from "../queue/idb-queue.js";
import type { SyncQueue } from "../queue/sync-queue.js";
import { CURSOR_KEY } from "../sync/initial-sync.js";
import { SyncCoordinator } from "../sync/sync-coordinator.js";
import { SyncTracker } from "../tracker/sync-tracker.js";
import type { SyncTransport } from "../transport/sync-transport.js";

/** The parts of an open replica. */
export interface ReplicaEngine {
  /** The replica's client id: one per replica, whichever tab hosts it. */
  readonly clientId: string;
  readonly db: LocalDB;
  readonly queue: SyncQueue;
  readonly tracker: SyncTracker;
  readonly sync: SyncCoordinator;
  /** Stops syncing, makes the last changes durable and releases the database. */
  close(): Promise<Result<void, LakeSyncError>>;
}

/** Options for {@link openReplicaEngine}. */
export interface ReplicaEngineOptions {
  readonly clientId: string;
  /** The local database's name (its snapshot key or OPFS file); the outbox is `<name>-outbox`. */
  readonly name: string;
  readonly transport: SyncTransport;
  /** Tables registered before anything runs (the gateway's own schemas arrive with the sync). */
  readonly schemas?: readonly TableSchema[];
  /**
   * Where the database lives; defaults to `auto`: a file in OPFS where synchronous access
   * handles exist (the leader's dedicated worker), else sql.js with snapshots.
   */
  readonly engine?: LocalDBEngine;
  /**
   * Defaults to snapshots in IndexedDB: where sql.js keeps the database, and where the OPFS
   * engine looks, on its first open, for a snapshot to migrate.
   */
  readonly snapshots?: SnapshotStore;
  /** Defaults to an `IDBQueue` called `<name>-outbox`. */
  readonly queue?: SyncQueue;
  /** Passed to sql.js (`locateFile` for the wasm). */
  readonly sqlJs?: LocalDBOptions["sqlJs"];
  /** Options of the OPFS engine (how long to wait for a dying leader's worker). */
  readonly opfs?: LocalDBOptions["opfs"];
  /** Interval of automatic syncs (ms); defaults to the coordinator's. */
  readonly syncIntervalMs?: number;
}

/**
 * Opens a replica's parts: opens the database (its OPFS file, or its last snapshot), registers
 * the schemas, replays the outbox over it (writes whose snapshot never landed), and advances
 * the clock past every stamp this replica may already have issued, so a write made after a
 * hand-over never loses to an older one of the same client. Syncing is not started.
 */
export async function openReplicaEngine(
  options: ReplicaEngineOptions,
): Promise<Result<ReplicaEngine, LakeSyncError>> {
  const opened = await LocalDB.open({
    name: options.name,
    engine: options.engine ?? "auto",
    snapshots: options.snapshots ?? new IDBSnapshotStore(),
    ...(options.sqlJs ? { sqlJs: options.sqlJs } : {}),
    ...(options.opfs ? { opfs: options.opfs } : {}),
  });
  if (!opened.ok) return opened;
  const db = opened.value;
  const fail = async <E>(error: Result<never, E>) => {
    await db.close();
    return error;
  };
  for (const schema of options.schemas ?? []) {
    const registered = registerSchema(db, schema);
    if (!registered.ok) return fail(registered);
  }
  let queue = options.queue;
  if (!queue) {
    const idb = await IDBQueue.open({ name: `${options.name}-outbox` });
    if (!idb.ok) return fail(idb);
    queue = idb.value;
  }
  const clock = new HLC();
  const { clientId } = options;
  const tracker = new SyncTracker({ db, queue, clock, clientId });
  const recovered = await tracker.recover();
  if (!recovered.ok) return fail(recovered);
  const advanced = await advanceClock(db, queue, clock);
  if (!advanced.ok) return fail(advanced);
  const sync = new SyncCoordinator({
    db,
    queue,
    transport: options.transport,
    clock,
    clientId,
    ...(options.syncIntervalMs === undefined ? {} : { intervalMs: options.syncIntervalMs }),
  });
  const outbox = queue;
  return Ok({
    clientId,
    db,
    queue,
    tracker,
    sync,
    close: async () => {
      sync.stop();
      const closed = await db.close();
      if (outbox instanceof IDBQueue) outbox.close();
      return closed;
    },
  });
}

async function advanceClock(
  db: LocalDB,
  queue: SyncQueue,
  clock: HLC,
): Promise<Result<void, LakeSyncError>> {
  const cursor = db.getMeta(CURSOR_KEY);
  if (!cursor.ok) return cursor;
  const seen = cursor.value ? parseHLC(cursor.value) : undefined;
  // A stamp too far ahead is the gateway's problem to report; it must not stop the replica.
  if (seen?.ok) clock.recv(seen.value);
  const depth = await queue.depth();
  if (!depth.ok) return depth;
  const pending = await queue.peek(depth.value);
  if (!pending.ok) return pending;
  for (const entry of pending.value) clock.recv(entry.delta.hlc);
  return Ok(undefined);
}
