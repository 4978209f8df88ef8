/**
 * @module lake-checkpoints
 * New clients' checkpoints served from the Worker's Iceberg lake (`CHECKPOINTS=lake`): the
 * compactor's `lakeCheckpointSource` reads the compacted tables bucket by bucket with the
 * gateway's own sync rules, and the gateway serves its log after them; tables the lake does not
 * hold yet, and every checkpoint it cannot serve, still come from the object's storage.
 */
import { lakeCheckpointSource } from "@lakesync/compactor";
import type { SyncGatewayOptions } from "@lakesync/gateway";
import { workerMemoryBudget } from "./alarm-compaction.js";
import type { Env } from "./env.js";
import type { WorkerLake } from "./flush-target.js";

/** The gateway options of `CHECKPOINTS=lake` (none otherwise, or without a lake). */
export function lakeCheckpointOptions(
  env: Env,
  lake: WorkerLake | undefined,
): Pick<SyncGatewayOptions, "checkpointSource"> {
  if (env.CHECKPOINTS !== "lake" || !lake) return {};
  return {
    checkpointSource: lakeCheckpointSource({
      ...lake,
      memoryBudgetBytes: workerMemoryBudget(env),
      onError: (gatewayId, error) =>
        console.error(
          `lakesync: gateway ${gatewayId}: a checkpoint from the lake failed (${error.code}): ${error.message}`,
        ),
    }),
  };
}
