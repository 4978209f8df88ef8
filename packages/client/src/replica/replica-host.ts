/**
 * @module replica/replica-host
 * The leader tab's side of a shared replica: it answers the other tabs' calls with its engine
 * and tells every tab what changed.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  broadcastChannels,
  localChannels,
  type TabChannel,
  type TabChannelFactory,
} from "../tabs/channel.js";
import type { NewRow } from "../tracker/sync-tracker.js";
import type { ReplicaEngine } from "./replica-engine.js";
import {
  isReplicaMessage,
  RemoteReplicaError,
  type ReplicaMessage,
  replicaChannelName,
  toWireError,
  toWireResult,
  toWireStatus,
  type WireStatus,
} from "./replica-protocol.js";

/** A running host; `close()` stops answering (the engine is the caller's to close). */
export interface ReplicaHost {
  readonly hostId: string;
  close(): void;
}

/**
 * Serves `engine` on `channel`: answers calls addressed to this host, announces itself (and
 * again to every tab that asks), and broadcasts changed tables, sync status, refusals and
 * initial-sync progress. Before answering anything it returns to pending the outbox entries a
 * previous host claimed and never finished: the caller holds the replica's lock, so that host is
 * gone, and its claims must not wait out their lease.
 */
export async function serveReplica(
  engine: ReplicaEngine,
  channel: TabChannel,
  hostId: string = crypto.randomUUID(),
): Promise<Result<ReplicaHost, LakeSyncError>> {
  const released = await engine.queue.releaseClaims();
  if (!released.ok) return released;
  const { db, sync, tracker } = engine;
  let status: WireStatus | undefined;
  const post = (message: ReplicaMessage) => channel.post(message);
  const announce = () => post({ kind: "host", host: hostId, clientId: engine.clientId, status });

  const run = async (
    method: string,
    args: readonly unknown[],
  ): Promise<Result<unknown, unknown>> => {
    switch (method) {
      case "query":
        return db.query(String(args[0]), args[1] as Parameters<typeof db.query>[1]);
      case "insert":
        return tracker.insert(String(args[0]), args[1] as NewRow);
      case "update":
        return tracker.update(String(args[0]), String(args[1]), args[2] as Record<string, unknown>);
      case "delete":
        return tracker.delete(String(args[0]), String(args[1]));
      case "syncNow":
        return sync.syncNow(args[0] === true ? { afterWrite: true } : {});
      case "depth":
        return engine.queue.depth();
      case "flush":
        return db.persist();
      default:
        return Err(
          new RemoteReplicaError({
            code: "INVALID_INPUT",
            message: `unknown call ${method}`,
            name: "ReplicaError",
          }),
        );
    }
  };

  const stopListening = channel.listen((message) => {
    if (!isReplicaMessage(message)) return;
    if (message.kind === "who") announce();
    if (message.kind !== "call" || message.host !== hostId) return;
    const { from, id } = message;
    void run(message.method, message.args).then(
      (result) =>
        post({ kind: "result", to: from, host: hostId, id, result: toWireResult(result) }),
      (cause: unknown) =>
        post({ kind: "result", to: from, host: hostId, id, result: toWireResult(Err(cause)) }),
    );
  });
  const stops = [
    stopListening,
    db.onChange((tables) => post({ kind: "changed", host: hostId, tables: [...tables] })),
    sync.onStatus((event) => {
      status = toWireStatus(event);
      post({ kind: "status", host: hostId, status });
    }),
    sync.onRefused((event) => post({ kind: "event", host: hostId, name: "refused", event })),
    sync.onProgress((event) => post({ kind: "event", host: hostId, name: "progress", event })),
  ];
  announce();
  return Ok({
    hostId,
    close: () => {
      for (const stop of stops) stop();
    },
  });
}

/** Options for {@link hostReplica}. */
export interface HostReplicaOptions {
  /** The shared replica's name (as given to `SharedReplica.open`). */
  readonly name: string;
  /** Opens the replica's engine. */
  readonly open: () => Promise<Result<ReplicaEngine, LakeSyncError>>;
  /** Start the sync loop once open. Defaults to true. */
  readonly autoSync?: boolean;
  /** Defaults to BroadcastChannel (or channels within this realm only). */
  readonly channels?: TabChannelFactory;
}

/** A host with its engine, as {@link hostReplica} leaves it running. */
export interface RunningReplica {
  readonly host: ReplicaHost;
  readonly engine: ReplicaEngine;
  /** Stops serving, then saves and closes the engine. */
  close(): Promise<Result<void, LakeSyncError>>;
}

/**
 * Opens a replica and serves it to every tab: what the leader tab runs, either in its own
 * thread or in a dedicated worker it starts (`SharedReplica.open({ worker })`), so that queries,
 * merges and snapshots never hold up its page. Call it only where the replica's lock is held.
 * When opening fails, every tab's waiting calls fail with the reason.
 *
 * @example
 * // replica-worker.ts, started by the leader tab
 * await hostReplica({ name: replicaName(scope), open: () => openReplicaEngine({ ... }) });
 */
export async function hostReplica(
  options: HostReplicaOptions,
): Promise<Result<RunningReplica, LakeSyncError>> {
  const channels = options.channels ?? broadcastChannels() ?? localChannels();
  const channel = channels(replicaChannelName(options.name));
  const fail = (error: LakeSyncError) => {
    channel.post({ kind: "failed", error: toWireError(error) } satisfies ReplicaMessage);
    channel.close();
  };
  const opened = await options.open();
  if (!opened.ok) {
    fail(opened.error);
    return opened;
  }
  const engine = opened.value;
  const served = await serveReplica(engine, channel);
  if (!served.ok) {
    fail(served.error);
    await engine.close();
    return served;
  }
  const host = served.value;
  if (options.autoSync ?? true) engine.sync.start();
  return Ok({
    host,
    engine,
    close: async () => {
      host.close();
      const closed = await engine.close();
      channel.close();
      return closed;
    },
  });
}
