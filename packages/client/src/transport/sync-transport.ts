/**
 * @module transport/sync-transport
 * How a client talks to a gateway: push, pull and (optionally) realtime notifications.
 */
import {
  type HLCTimestamp,
  LakeSyncError,
  type LakeSyncErrorOptions,
  type Result,
  type RowDelta,
} from "@lakesync/core";

/** Deltas a client sends, with the newest server HLC it has seen. */
export interface PushRequest {
  readonly clientId: string;
  readonly deltas: readonly RowDelta[];
  readonly lastSeenHlc: HLCTimestamp;
}

/** The gateway's acknowledgement: every pushed delta is durable once this arrives. */
export interface PushResponse {
  readonly serverHlc: HLCTimestamp;
}

/** A request for changes after a cursor. */
export interface PullRequest {
  readonly clientId: string;
  readonly sinceHlc: HLCTimestamp;
  readonly maxDeltas: number;
}

/** A page of changes; `serverHlc` is the cursor for the next pull. */
export interface PullResponse {
  readonly deltas: readonly RowDelta[];
  readonly serverHlc: HLCTimestamp;
  readonly hasMore: boolean;
}

/** Why a transport call failed; `retryable` is false only when retrying cannot help. */
export class TransportError extends LakeSyncError {
  /** HTTP status when there was one. */
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(
    message: string,
    options: LakeSyncErrorOptions & { status?: number; retryable?: boolean; code?: string } = {},
  ) {
    super(options.code ?? "TRANSPORT_ERROR", message, options);
    this.name = "TransportError";
    this.status = options.status;
    this.retryable = options.retryable ?? true;
  }
}

/** A connection to a gateway. Implementations never throw: every failure is an `Err`. */
export interface SyncTransport {
  push(request: PushRequest): Promise<Result<PushResponse, LakeSyncError>>;
  pull(request: PullRequest): Promise<Result<PullResponse, LakeSyncError>>;
  /** Calls `onChange` when the gateway has new deltas; returns a function that unsubscribes. */
  subscribe?(onChange: () => void): () => void;
}
