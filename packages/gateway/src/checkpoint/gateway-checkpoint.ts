/**
 * @module checkpoint/gateway-checkpoint
 * The gateway's checkpoint for one caller: the chunk budget checked, then the host's checkpoint
 * source for the tables it holds (if one is configured and its answer can be continued by the
 * log), else every readable row from the gateway's own store.
 */
import {
  Err,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  ValidationError,
} from "@lakesync/core";
import { type CheckpointPlan, planCheckpoint } from "./build-checkpoint.js";
import {
  type CheckpointSource,
  type CheckpointSourceRequest,
  planSourcedCheckpoint,
  type SourcedCheckpointParts,
} from "./checkpoint-source.js";

/** What {@link planGatewayCheckpoint} reads of the gateway. */
export interface GatewayCheckpointParts extends SourcedCheckpointParts {
  /** The cursor a checkpoint from the store carries. */
  readonly head: HLCTimestamp;
  readonly source: CheckpointSource | undefined;
}

/**
 * Plans the checkpoint a caller receives (see `SyncGateway.checkpoint`). `Err(ValidationError)`
 * for a chunk budget below 1024 bytes.
 */
export async function planGatewayCheckpoint(
  request: Omit<CheckpointSourceRequest, "tables">,
  parts: GatewayCheckpointParts,
): Promise<Result<CheckpointPlan, LakeSyncError>> {
  const budget = request.budgetBytes;
  if (!Number.isFinite(budget) || budget < 1024)
    return Err(new ValidationError("the checkpoint budget must be at least 1024 bytes"));
  const sourced = parts.source && (await planSourcedCheckpoint(parts.source, request, parts));
  return Ok(sourced ?? planCheckpoint(parts.rows, parts.head, request.allowed, budget));
}
