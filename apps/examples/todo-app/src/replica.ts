/**
 * @module replica
 * The user's replica, shared by every tab of this browser: the first tab starts a worker that
 * opens it and syncs; every tab reads and writes through it (and the next tab takes over when
 * the leader closes).
 */
import {
  HttpTransport,
  openReplicaEngine,
  type ReplicaEngine,
  replicaClientId,
  replicaName,
  SharedReplica,
} from "@lakesync/client";
import type { LakeSyncError, Result, TableSchema } from "@lakesync/core";
import wasmUrl from "sql.js/dist/sql-wasm.wasm?url";
import { devToken } from "./session.js";

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
  readonly shared: SharedReplica;
}

/**
 * Opens the user's replica of the `todos` gateway: in the leader's worker a file in OPFS; where
 * the leader hosts it on its page (no `Worker`), sql.js with snapshots in IndexedDB.
 */
export async function openTodoEngine(user: string): Promise<Result<ReplicaEngine, LakeSyncError>> {
  const scope = { gateway: "todos", user };
  const clientId = await replicaClientId(scope);
  if (!clientId.ok) return clientId;
  return openReplicaEngine({
    clientId: clientId.value,
    name: `todos-${replicaName(scope)}`,
    schemas: [TODOS],
    sqlJs: { locateFile: () => wasmUrl },
    syncIntervalMs: 5_000,
    transport: new HttpTransport({
      baseUrl: location.origin,
      gatewayId: "todos",
      token: (refresh) => devToken(user, refresh),
    }),
  });
}

/** Joins (or, in the first tab, starts) the user's replica. */
export function openReplica(user: string): Replica {
  const scope = { gateway: "todos", user };
  const inWorker = typeof Worker === "function";
  const shared = SharedReplica.open({
    name: replicaName(scope),
    ...(inWorker
      ? {
          worker: () =>
            new Worker(new URL("./replica-worker.ts", import.meta.url), {
              type: "module",
              name: user,
            }),
        }
      : { open: () => openTodoEngine(user) }),
  });
  return { user, shared };
}
