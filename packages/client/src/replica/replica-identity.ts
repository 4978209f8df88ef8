/**
 * @module replica/replica-identity
 * Naming a replica and giving it one client id for good: one replica per (origin, gateway,
 * user), whichever tab opens it, kept in IndexedDB (never in web storage).
 */
import type { LakeSyncError, Result } from "@lakesync/core";
import { IDBKeyValueStore, type KeyValueStore } from "../store/key-value-store.js";

/** Whose replica of which gateway (the origin is implicit: storage is per origin). */
export interface ReplicaScope {
  /** The gateway, e.g. its id or URL. */
  readonly gateway: string;
  /** The signed-in user (the token's subject). */
  readonly user: string;
}

/** The replica's name: the key of its lock, channel, database and outbox. */
export function replicaName(scope: ReplicaScope): string {
  return `${encodeURIComponent(scope.gateway)}/${encodeURIComponent(scope.user)}`;
}

/** Options for {@link replicaClientId}. */
export interface ReplicaClientIdOptions {
  /** Where ids are kept; defaults to the IndexedDB database `lakesync-replicas`. */
  readonly store?: KeyValueStore;
  /** Makes a new id; defaults to `<user>-<random UUID>`. */
  readonly make?: () => string;
}

/**
 * The replica's client id: read from the store, or created and stored in one transaction the
 * first time, so tabs racing to open a new replica agree on one id.
 */
export function replicaClientId(
  scope: ReplicaScope,
  options: ReplicaClientIdOptions = {},
): Promise<Result<string, LakeSyncError>> {
  const store = options.store ?? new IDBKeyValueStore("lakesync-replicas");
  const make = options.make ?? (() => `${scope.user}-${crypto.randomUUID()}`);
  return store.putIfAbsent(`client-id:${replicaName(scope)}`, make());
}
