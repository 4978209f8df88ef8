/**
 * @module replica
 * This tab's local database, outbox and sync loop for one user.
 */
import {
  HttpTransport,
  IDBQueue,
  IDBSnapshotStore,
  LocalDB,
  registerSchema,
  SyncCoordinator,
  SyncTracker,
} from "@lakesync/client";
import { HLC, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import wasmUrl from "sql.js/dist/sql-wasm.wasm?url";
import { devToken, tabClientId } from "./session.js";

/** The todo table, as the gateway's development mode declares it. */
export const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "created_at", type: "string" },
    { name: "updated_at", type: "string" },
    { name: "owner", type: "string" },
    { name: "private", type: "boolean" },
  ],
};

/** Everything the view needs. */
export interface Replica {
  readonly user: string;
  readonly clientId: string;
  readonly db: LocalDB;
  readonly tracker: SyncTracker;
  readonly sync: SyncCoordinator;
  readonly queue: IDBQueue;
}

/** Opens (or reopens, after a reload) this tab's replica for `user` and starts syncing. */
export async function openReplica(user: string): Promise<Replica> {
  const clientId = tabClientId(user);
  const db = unwrapOrThrow(
    await LocalDB.open({
      name: `todos-${clientId}`,
      snapshots: new IDBSnapshotStore("lakesync-todo-snapshots"),
      sqlJs: { locateFile: () => wasmUrl },
    }),
  );
  unwrapOrThrow(registerSchema(db, TODOS));
  const queue = unwrapOrThrow(await IDBQueue.open({ name: `lakesync-todo-outbox-${clientId}` }));
  const clock = new HLC();
  const tracker = new SyncTracker({ db, queue, clock, clientId });
  unwrapOrThrow(await tracker.recover());
  const transport = new HttpTransport({
    baseUrl: location.origin,
    gatewayId: "todos",
    token: (refresh) => devToken(user, refresh),
  });
  const sync = new SyncCoordinator({ db, queue, transport, clock, clientId, intervalMs: 5_000 });
  return { user, clientId, db, tracker, sync, queue };
}
