/**
 * @module @lakesync/client
 * The client SDK: a local SQLite database, a durable outbox of column deltas, and the
 * coordinator that syncs them with a gateway.
 */
export * from "./db/local-db.js";
export {
  applyDeltas,
  /** The name DESIGN.md uses: conflict-aware, idempotent application of pulled deltas. */
  applyDeltas as applyRemoteDeltas,
  checkDelta,
  readRow,
} from "./db/row-store.js";
export * from "./db/schema-registry.js";
export * from "./db/snapshot-store.js";
export { tablesReadBy } from "./db/sql-identifier.js";
export * from "./errors.js";
export * from "./queue/idb-queue.js";
export * from "./queue/memory-queue.js";
export * from "./queue/sync-queue.js";
export * from "./replica/replica-engine.js";
export * from "./replica/replica-host.js";
export * from "./replica/replica-identity.js";
export { RemoteReplicaError } from "./replica/replica-protocol.js";
export * from "./replica/shared-replica.js";
export * from "./store/key-value-store.js";
export * from "./sync/backoff.js";
export * from "./sync/checkpoint-deltas.js";
export * from "./sync/schema-synchroniser.js";
export * from "./sync/sync-coordinator.js";
export * from "./tabs/channel.js";
export * from "./tabs/tab-leader.js";
export * from "./tracker/sync-tracker.js";
export * from "./transport/http-transport.js";
export * from "./transport/local-transport.js";
export * from "./transport/sync-transport.js";
