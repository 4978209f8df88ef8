/**
 * @module lake-checkpoints
 * New clients' checkpoints served from the Node gateway's Iceberg lake (`LAKESYNC_CHECKPOINTS=lake`):
 * each gateway gets the compactor's `lakeCheckpointSource`, so the tables the lake holds are read
 * from its compacted base files (bucket by bucket, with the gateway's own sync rules) and the
 * gateway's log after them, instead of every row of the gateway's store. Tables the lake does not
 * hold yet, and every checkpoint the lake cannot plan, still come from the store. A lake checkpoint
 * is streamed chunk by chunk as the client reads it, so its size is not bounded by memory.
 */
import type { Catalogue, LakeLocation } from "@lakesync/catalogue";
import { lakeCheckpointSource } from "@lakesync/compactor";
import type { SyncGatewayOptions } from "@lakesync/gateway";
import type { ServerConfig } from "./config.js";
import { DEFAULT_LAKE_COMPACTION } from "./lake-maintenance.js";

/**
 * The gateway options that serve checkpoints from `lake` when `config.compaction.checkpoints` is
 * `lake` (none otherwise). Failures to read the lake are logged through `log`; the client is then
 * served from the store.
 */
export function lakeCheckpointOptions(
  config: ServerConfig,
  lake: { readonly catalogue: Catalogue; readonly location: LakeLocation },
  log: (line: string) => void = (line) => console.error(line),
): Pick<SyncGatewayOptions, "checkpointSource"> {
  const c = config.compaction ?? DEFAULT_LAKE_COMPACTION;
  if (c.checkpoints !== "lake") return {};
  const namespace = config.namespace;
  return {
    checkpointSource: lakeCheckpointSource({
      catalogue: lake.catalogue,
      location: lake.location,
      ...(namespace === undefined ? {} : { namespace: () => [namespace] }),
      memoryBudgetBytes: c.memoryBudgetBytes,
      onError: (gatewayId, error) =>
        log(
          `lakesync: gateway ${gatewayId}: a checkpoint from the lake failed (${error.code}): ${error.message}`,
        ),
    }),
  };
}
