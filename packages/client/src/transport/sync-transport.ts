/**
 * @module transport/sync-transport
 * How a client talks to a gateway: push, pull and (optionally) realtime notifications.
 */
import {
  Err,
  type HLCTimestamp,
  LakeSyncError,
  type LakeSyncErrorOptions,
  Ok,
  type Result,
  type RowDelta,
  type TableSchema,
  validateTableSchema,
} from "@lakesync/core";
import type { CheckpointChunk, DeltaRefusal, RowRef, SyncNotification } from "@lakesync/proto";

/** Deltas a client sends, with the newest server HLC it has seen. */
export interface PushRequest {
  readonly clientId: string;
  readonly deltas: readonly RowDelta[];
  readonly lastSeenHlc: HLCTimestamp;
}

/**
 * The gateway's acknowledgement: every pushed delta it accepted is durable once this arrives.
 * Deltas the caller may not write are listed in `refused` (never merged); `restore` then holds
 * the gateway's version of those rows (`deltas`) and the rows the caller may not read at all
 * (`evicted`), so the client can put its replica back.
 */
export interface PushResponse {
  readonly serverHlc: HLCTimestamp;
  readonly refused?: readonly DeltaRefusal[];
  readonly restore?: { readonly deltas: readonly RowDelta[]; readonly evicted: readonly RowRef[] };
}

/** A request for changes after a cursor. */
export interface PullRequest {
  readonly clientId: string;
  readonly sinceHlc: HLCTimestamp;
  readonly maxDeltas: number;
}

/**
 * A page of changes; `serverHlc` is the cursor for the next pull. `evicted` rows left the
 * caller's view: remove them locally, after applying `deltas`.
 */
export interface PullResponse {
  readonly deltas: readonly RowDelta[];
  readonly serverHlc: HLCTimestamp;
  readonly hasMore: boolean;
  readonly evicted?: readonly RowRef[];
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

/** What a downloaded checkpoint amounted to. */
export interface CheckpointSummary {
  /** Pull from here afterwards. */
  readonly snapshotHlc: HLCTimestamp;
  readonly chunks: number;
}

/** The gateway's table schemas and their version. */
export interface ServerSchemas {
  readonly version: number;
  readonly tables: readonly TableSchema[];
}

/** Parses the JSON body of `GET /sync/:gatewayId/schema`; a bad body is `BAD_RESPONSE`. */
export function parseServerSchemas(bytes: Uint8Array): Result<ServerSchemas, TransportError> {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    return Err(new TransportError("the schema reply is not JSON", { cause, code: "BAD_RESPONSE" }));
  }
  const { version, tables } = (body ?? {}) as { version?: unknown; tables?: unknown };
  if (typeof version !== "number" || !Number.isInteger(version) || !Array.isArray(tables))
    return Err(
      new TransportError("the schema reply lacks a version or tables", { code: "BAD_RESPONSE" }),
    );
  const out: TableSchema[] = [];
  for (const table of tables) {
    const valid = validateTableSchema(table);
    if (!valid.ok)
      return Err(
        new TransportError(`the gateway sent an invalid schema: ${valid.error.message}`, {
          code: "BAD_RESPONSE",
        }),
      );
    out.push(valid.value);
  }
  return Ok({ version, tables: out });
}

/** Options of {@link SyncTransport.subscribe}. */
export interface SubscribeOptions {
  /** The subscribing client's id: the gateway leaves its own writes out of what it sends. */
  readonly clientId?: string;
  /**
   * Told when the subscription goes live (`true`: from now on every change the gateway logs
   * reaches `onChange`) and when it drops (`false`). A transport that cannot tell never calls
   * it, and its subscriber must then assume that messages may be missed.
   */
  readonly onConnection?: (live: boolean) => void;
}

/** A connection to a gateway. Implementations never throw: every failure is an `Err`. */
export interface SyncTransport {
  push(request: PushRequest): Promise<Result<PushResponse, LakeSyncError>>;
  pull(request: PullRequest): Promise<Result<PullResponse, LakeSyncError>>;
  /**
   * Downloads a checkpoint for an initial sync, handing each chunk to `onChunk` in order (an
   * `Err` from it stops the download). Optional: without it a new client pulls from zero.
   */
  checkpoint?(
    onChunk: (
      chunk: CheckpointChunk,
    ) => Promise<Result<void, LakeSyncError>> | Result<void, LakeSyncError>,
  ): Promise<Result<CheckpointSummary, LakeSyncError>>;
  /** The gateway's current schemas. */
  schema?(): Promise<Result<ServerSchemas, LakeSyncError>>;
  /**
   * Calls `onChange` when the gateway has new deltas: with the gateway's notification when one
   * arrived (kind `deltas` carries this client's share, see `SyncNotification`), without one
   * when the transport only knows that something may have changed (it connected again).
   * Returns a function that unsubscribes.
   */
  subscribe?(
    onChange: (notification?: SyncNotification) => void,
    options?: SubscribeOptions,
  ): () => void;
}
