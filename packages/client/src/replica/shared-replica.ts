/**
 * @module replica/shared-replica
 * One replica per origin, user and gateway, shared by every tab: the tabs elect a leader with a
 * Web Lock, the leader opens the replica and serves it over a BroadcastChannel, and every tab
 * (the leader's own included) reads, writes and watches through that channel.
 */
import { Err, type LakeSyncError, Ok, type Result, type RowDelta } from "@lakesync/core";
import type { SqlRow } from "../db/local-db.js";
import { whenPageHides } from "../db/page-lifecycle.js";
import type { BindParams } from "../db/sql-engine.js";
import { tablesReadBy } from "../db/sql-identifier.js";
import type {
  InitialSyncProgress,
  RefusalEvent,
  SyncStatusEvent,
} from "../sync/sync-coordinator.js";
import type { SyncNowOptions } from "../sync/sync-options.js";
import {
  broadcastChannels,
  localChannels,
  type TabChannel,
  type TabChannelFactory,
} from "../tabs/channel.js";
import { electTabLeader, type TabLeadership } from "../tabs/tab-leader.js";
import type { NewRow } from "../tracker/sync-tracker.js";
import { LiveQueries } from "./live-queries.js";
import { PendingCalls } from "./pending-calls.js";
import { ReplicaEvents } from "./replica-events.js";
import type { SharedReplicaOptions } from "./shared-replica-options.js";

export type { SharedReplicaOptions } from "./shared-replica-options.js";

/** What calls meet once the replica was closed in this tab. */
const CLOSED: WireError = {
  code: "REPLICA_CLOSED",
  message: "the replica was closed in this tab",
  name: "ReplicaError",
};

import { hostReplica, type RunningReplica } from "./replica-host.js";
import {
  fromWireStatus,
  isReplicaMessage,
  RemoteReplicaError,
  type ReplicaMessage,
  type ReplicaMethod,
  replicaChannelName,
  type WireError,
} from "./replica-protocol.js";

/**
 * A tab's handle on the shared replica. Every method returns a `Result` and never throws; calls
 * made while no tab hosts the replica wait for the next host, and calls a host took but never
 * answered (it closed or crashed) are sent again to the next one. Writes are intents (set these
 * columns), so one that the dead host did apply is a no-op the second time: no outbox entry is
 * lost or repeated.
 *
 * @example
 * const replica = SharedReplica.open({ name: "todos:alice", open: () => openReplicaEngine({...}) });
 * replica.watch("SELECT * FROM todos", undefined, (rows) => render(rows));
 * await replica.insert("todos", { id: crypto.randomUUID(), title: "Milk" });
 */
export class SharedReplica {
  readonly #options: SharedReplicaOptions;
  readonly #tabId = crypto.randomUUID();
  readonly #channels: TabChannelFactory;
  readonly #channel: TabChannel;
  readonly #calls: PendingCalls;
  readonly #live: LiveQueries;
  readonly #events = new ReplicaEvents();
  readonly #hostListeners = new Set<() => void>();
  readonly #leadership: TabLeadership;
  #host: { readonly id: string; readonly clientId: string } | undefined;
  #failure: WireError | undefined;
  #serving: RunningReplica | undefined;
  #worker: { terminate(): void } | undefined;
  #closed = false;

  private constructor(options: SharedReplicaOptions) {
    this.#options = options;
    this.#channels = options.channels ?? broadcastChannels() ?? localChannels();
    this.#channel = this.#channels(replicaChannelName(options.name));
    this.#calls = new PendingCalls((id, call, host) =>
      this.#channel.post({
        kind: "call",
        from: this.#tabId,
        host,
        id,
        method: call.method,
        args: call.args,
      } satisfies ReplicaMessage),
    );
    this.#live = new LiveQueries((sql, params) =>
      this.#call<object[]>("query", [sql, params ?? null]),
    );
    this.#channel.listen((message) => {
      if (isReplicaMessage(message)) this.#receive(message);
    });
    this.#channel.post({ kind: "who", from: this.#tabId } satisfies ReplicaMessage);
    this.#leadership = electTabLeader({
      name: replicaChannelName(options.name),
      locks: options.locks,
      onLeader: () => void this.#lead(),
    });
  }

  /** Joins (or, as the first tab, opens) the shared replica called `options.name`. */
  static open(options: SharedReplicaOptions): SharedReplica {
    return new SharedReplica(options);
  }

  /** The replica's client id, once a host has introduced itself. */
  get clientId(): string | undefined {
    return this.#host?.clientId;
  }

  /** True while this tab hosts the replica. */
  get isLeader(): boolean {
    return this.#serving !== undefined || this.#worker !== undefined;
  }

  /** The last sync status the host reported. */
  get status(): SyncStatusEvent | undefined {
    return this.#events.last;
  }

  /** Resolves with the client id once a host is known, or with the error that stopped one. */
  ready(): Promise<Result<string, LakeSyncError>> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#host) resolve(Ok(this.#host.clientId));
        else if (this.#failure) resolve(Err(new RemoteReplicaError(this.#failure)));
        else return false;
        this.#hostListeners.delete(check);
        return true;
      };
      if (!check()) this.#hostListeners.add(check);
    });
  }

  /** Runs a query on the replica. */
  query<T extends object = SqlRow>(
    sql: string,
    params?: BindParams,
  ): Promise<Result<T[], LakeSyncError>> {
    return this.#call<T[]>("query", [sql, params ?? null]);
  }

  /**
   * Runs `sql` now and again whenever a table it reads changes in any tab or through sync, with
   * no round trip to the gateway. Returns a function that stops watching.
   */
  watch<T extends object = SqlRow>(
    sql: string,
    params: BindParams | undefined,
    callback: (rows: T[]) => void,
    tables: readonly string[] = tablesReadBy(sql),
  ): () => void {
    return this.#live.add(sql, params, tables, callback as (rows: object[]) => void);
  }

  /** Inserts a row through the host's tracker (see `SyncTracker.insert`). */
  insert(table: string, row: NewRow): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#call("insert", [table, row]);
  }

  /** Changes columns of a row (see `SyncTracker.update`). */
  update(
    table: string,
    rowId: string,
    changes: Readonly<Record<string, unknown>>,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#call("update", [table, rowId, changes]);
  }

  /** Deletes a row (see `SyncTracker.delete`). */
  delete(table: string, rowId: string): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#call("delete", [table, rowId]);
  }

  /**
   * Asks the host to run a sync cycle now; resolves with its outcome. After a local write pass
   * `{ afterWrite: true }`: the host pushes first and skips the pull while realtime keeps the
   * replica current (see `SyncCoordinator.syncNow`).
   */
  syncNow(options: SyncNowOptions = {}): Promise<Result<void, LakeSyncError>> {
    return this.#call("syncNow", [options.afterWrite === true]);
  }

  /** Resolves once every change made so far is durable (in a snapshot, or committed to OPFS). */
  flush(): Promise<Result<void, LakeSyncError>> {
    return this.#call("flush", []);
  }

  /** The number of outbox entries not yet acknowledged by the gateway. */
  outboxDepth(): Promise<Result<number, LakeSyncError>> {
    return this.#call("depth", []);
  }

  /** Subscribes to sync status changes (every tab hears the host's); returns the unsubscriber. */
  onStatus(listener: (event: SyncStatusEvent) => void): () => void {
    return this.#events.onStatus(listener);
  }

  /** Subscribes to refused writes (see `SyncCoordinator.onRefused`). */
  onRefused(listener: (event: RefusalEvent) => void): () => void {
    return this.#events.onRefused(listener);
  }

  /** Subscribes to initial-sync progress (see `SyncCoordinator.onProgress`). */
  onProgress(listener: (event: InitialSyncProgress) => void): () => void {
    return this.#events.onProgress(listener);
  }

  /**
   * Leaves the replica: a leader stops serving, saves and closes it, and the next tab takes
   * over. Calls still waiting fail with `REPLICA_CLOSED`.
   */
  async close(): Promise<Result<void, LakeSyncError>> {
    if (this.#closed) return Ok(undefined);
    let closed: Result<void, LakeSyncError> = Ok(undefined);
    if (this.#worker) {
      // The worker dies with this call: let it save first.
      closed = await this.flush();
      this.#worker.terminate();
      this.#worker = undefined;
    }
    this.#closed = true;
    this.#live.clear();
    const serving = this.#serving;
    this.#serving = undefined;
    if (serving) closed = await serving.close();
    this.#leadership.resign();
    this.#channel.close();
    this.#calls.failAll(CLOSED);
    return closed;
  }

  async #lead(): Promise<void> {
    if (this.#closed) return;
    const { worker, open, autoSync } = this.#options;
    if (worker) {
      // The replica lives in a worker this tab starts; it dies with the tab, releasing the lock.
      this.#worker = worker();
      whenPageHides(() => void this.flush());
      return;
    }
    if (!open) return;
    const running = await hostReplica({
      name: this.#options.name,
      open,
      channels: this.#channels,
      ...(autoSync === undefined ? {} : { autoSync }),
    });
    if (!running.ok) return;
    if (this.#closed) await running.value.close();
    else this.#serving = running.value;
  }

  #call<T>(method: ReplicaMethod, args: readonly unknown[]): Promise<Result<T, LakeSyncError>> {
    if (this.#closed) return Promise.resolve(Err(new RemoteReplicaError(CLOSED)));
    if (!this.#host && this.#failure)
      return Promise.resolve(Err(new RemoteReplicaError(this.#failure)));
    return this.#calls.add<T>(method, args, this.#host?.id);
  }

  #receive(message: ReplicaMessage): void {
    switch (message.kind) {
      case "host":
        if (this.#host?.id !== message.host) this.#adopt(message);
        return;
      case "failed":
        if (this.#host) return;
        this.#failure = message.error;
        this.#calls.failAll(message.error);
        for (const listener of [...this.#hostListeners]) listener();
        return;
      case "result":
        if (message.to === this.#tabId) this.#calls.settle(message.id, message.result);
        return;
      case "changed":
        if (message.host === this.#host?.id) this.#live.changed(message.tables);
        return;
      case "status":
        if (message.host === this.#host?.id)
          this.#events.emitStatus(fromWireStatus(message.status));
        return;
      case "event":
        if (message.host === this.#host?.id) this.#events.emit(message.name, message.event);
        return;
      default:
        return;
    }
  }

  /** A new host: calls the old one never answered go to it, and every live query re-runs. */
  #adopt(message: Extract<ReplicaMessage, { kind: "host" }>): void {
    this.#host = { id: message.host, clientId: message.clientId };
    this.#failure = undefined;
    this.#calls.sendAll(message.host);
    this.#live.changed();
    if (message.status) this.#events.emitStatus(fromWireStatus(message.status));
    for (const listener of [...this.#hostListeners]) listener();
  }
}
