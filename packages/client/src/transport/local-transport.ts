/**
 * @module transport/local-transport
 * A transport to a gateway in the same process: for tests, servers and single-process apps.
 */
import {
  type Claims,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
} from "@lakesync/core";
import type {
  CheckpointChunk,
  SyncNotification,
  SyncPull,
  SyncPush,
  SyncResponse,
} from "@lakesync/proto";
import type {
  CheckpointSummary,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  ServerSchemas,
  SubscribeOptions,
  SyncTransport,
} from "./sync-transport.js";

/** A checkpoint as a gateway in the same process hands it out: chunks built as they are read. */
export interface InProcessCheckpoint {
  readonly snapshotHlc: HLCTimestamp;
  readonly chunkCount: number;
  /** The chunks in order; an `Err` ends them. */
  chunks(): AsyncIterable<Result<CheckpointChunk, LakeSyncError>>;
}

/** The gateway methods a {@link LocalTransport} calls (`SyncGateway` of @lakesync/gateway has them). */
export interface InProcessGateway {
  handlePush(push: SyncPush, claims: Claims): Promise<Result<PushResponse, LakeSyncError>>;
  handlePull(pull: SyncPull, claims: Claims): Promise<Result<SyncResponse, LakeSyncError>>;
  checkpoint?(claims: Claims): Promise<Result<InProcessCheckpoint, LakeSyncError>>;
  schemas?(): ServerSchemas;
  readonly head?: HLCTimestamp;
  subscribe?(listener: (change: InProcessChange) => void): () => void;
}

/** One change a gateway in the same process reports (`RealtimeChange` of @lakesync/gateway). */
export interface InProcessChange {
  /** The change as `claims` may see it, without the writes of `clientId`. */
  notificationFor(subscriber: {
    readonly claims: Claims;
    readonly clientId?: string | undefined;
  }): SyncNotification;
}

/** Options for {@link LocalTransport}. */
export interface LocalTransportOptions {
  readonly gateway: InProcessGateway;
  /** The caller's identity, as a verified JWT would carry it (sync rules read it). */
  readonly claims: Claims;
}

/**
 * A {@link SyncTransport} that calls a gateway object directly: no network, no encoding, the same
 * semantics (sync rules by `claims`, acknowledgements after durability, notifications).
 */
export class LocalTransport implements SyncTransport {
  readonly #gateway: InProcessGateway;
  readonly #claims: Claims;
  readonly checkpoint?: NonNullable<SyncTransport["checkpoint"]>;
  readonly schema?: NonNullable<SyncTransport["schema"]>;

  constructor(options: LocalTransportOptions) {
    this.#gateway = options.gateway;
    this.#claims = options.claims;
    const gateway = options.gateway;
    if (gateway.checkpoint) {
      const take = gateway.checkpoint.bind(gateway);
      this.checkpoint = async (onChunk): Promise<Result<CheckpointSummary, LakeSyncError>> => {
        const plan = await take(this.#claims);
        if (!plan.ok) return plan;
        for await (const chunk of plan.value.chunks()) {
          if (!chunk.ok) return chunk;
          const applied = await onChunk(chunk.value);
          if (!applied.ok) return applied;
        }
        return Ok({ snapshotHlc: plan.value.snapshotHlc, chunks: plan.value.chunkCount });
      };
    }
    if (gateway.schemas) {
      const schemas = gateway.schemas.bind(gateway);
      this.schema = async () => Ok(schemas());
    }
  }

  async push(request: PushRequest): Promise<Result<PushResponse, LakeSyncError>> {
    const ack = await this.#gateway.handlePush(request, this.#claims);
    if (!ack.ok) return ack;
    const { serverHlc, refused, restore } = ack.value;
    if (!refused || refused.length === 0) return Ok({ serverHlc });
    return Ok({ serverHlc, refused, ...(restore ? { restore } : {}) });
  }

  async pull(request: PullRequest): Promise<Result<PullResponse, LakeSyncError>> {
    return this.#gateway.handlePull(request, this.#claims);
  }

  subscribe(
    onChange: (notification?: SyncNotification) => void,
    options: SubscribeOptions = {},
  ): () => void {
    const subscriber = { claims: this.#claims, clientId: options.clientId };
    const stop = this.#gateway.subscribe?.((change) =>
      onChange(change.notificationFor(subscriber)),
    );
    if (!stop) return () => {};
    // In process nothing is lost between the gateway and the listener: live at once.
    options.onConnection?.(true);
    return () => {
      stop();
      options.onConnection?.(false);
    };
  }
}
