/**
 * @module gateway/gateway-types
 * What `SyncGateway` answers with: push acknowledgements and monitoring counters.
 */
import type { RowDelta } from "@lakesync/core";
import type { RowRef } from "@lakesync/proto";
import type { PushResult } from "../push/push-pipeline.js";

/** A push's acknowledgement, with the gateway's version of the rows whose deltas it refused. */
export interface PushAnswer extends PushResult {
  /** Present when deltas were refused: the refused rows as the gateway holds them. */
  readonly restore?: { readonly deltas: readonly RowDelta[]; readonly evicted: readonly RowRef[] };
}

/** Counters for monitoring. */
export interface GatewayStats {
  readonly bufferedDeltas: number;
  readonly bufferedBytes: number;
  readonly logEntries: number;
  readonly rows: number;
  /** The most recent flush failure still pending (a table backing off), if any. */
  readonly lastFlushError: string | undefined;
  /** Why the last rewrite of the gateway's own log failed, until one succeeds. */
  readonly lastLogRewriteError: string | undefined;
}
