/**
 * @module union/in-process-source
 * The unflushed deltas of a gateway in the same process, through its raw log (`readLog`,
 * unfiltered). The analyst may not import `@lakesync/gateway` (the package graph puts it beside
 * the gateway, not above it), so the gateway is taken structurally: `SyncGateway` has every
 * member of {@link InProcessGateway}. A gateway without `readLog` is read through its pulls,
 * which sync rules filter.
 */
import {
  type Claims,
  Err,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
} from "@lakesync/core";
import { AnalystError } from "../errors.js";
import type { PendingDeltaSource, PullPage } from "./pull-page.js";

/** The gateway members an in-process source calls (`SyncGateway` of @lakesync/gateway has them). */
export interface InProcessGateway {
  readonly gatewayId: string;
  handlePull(
    pull: { clientId: string; sinceHlc: HLCTimestamp; maxDeltas: number },
    claims: Claims,
  ): Promise<Result<PullPage, LakeSyncError>>;
  /** The raw log, unfiltered by sync rules; preferred when the gateway has it. */
  readLog?(since: HLCTimestamp, maxDeltas: number): Result<PullPage, LakeSyncError>;
  /** The sync rules in force, if any: pulls are filtered by them. */
  readonly syncRules?: unknown;
}

/** Options of {@link inProcessSource}. */
export interface InProcessSourceOptions {
  /** Claims to pull with (default: none). */
  readonly claims?: Claims;
  /**
   * Accept a gateway with sync rules: the union then holds only what `claims` may read.
   * Default false: such a gateway is `Err(PULL_FILTERED)`.
   */
  readonly allowFiltered?: boolean;
}

const CLIENT_ID = "lakesync-analyst";

/** A {@link PendingDeltaSource} over `gateway` (see the module comment). */
export function inProcessSource(
  gateway: InProcessGateway,
  options: InProcessSourceOptions = {},
): PendingDeltaSource {
  const claims = options.claims ?? {};
  if (gateway.readLog) {
    const readLog = gateway.readLog.bind(gateway);
    return {
      gatewayId: gateway.gatewayId,
      rawLog: true,
      checkComplete: async () => Ok(undefined),
      pull: async (since, max) => readLog(since, max),
    };
  }
  return {
    gatewayId: gateway.gatewayId,
    async checkComplete() {
      if (gateway.syncRules !== undefined && gateway.syncRules !== null && !options.allowFiltered)
        return Err(filtered(gateway.gatewayId));
      return Ok(undefined);
    },
    pull: (since, max) =>
      gateway.handlePull({ clientId: CLIENT_ID, sinceHlc: since, maxDeltas: max }, claims),
  };
}

/** The error of a gateway whose pulls are filtered by sync rules. */
export function filtered(gatewayId: string): AnalystError {
  return new AnalystError(
    "PULL_FILTERED",
    `gateway "${gatewayId}" filters pulls by sync rules, so its unflushed deltas cannot all be read; flush it (POST /admin/flush/${gatewayId}) and read the lake alone, or accept a filtered union (allowFiltered)`,
  );
}
