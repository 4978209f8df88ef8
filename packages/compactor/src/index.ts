/**
 * @module @lakesync/compactor
 * Keeps LakeSync's Iceberg tables healthy (ADR-015): the {@link Compactor} folds the gateway's
 * small data files and equality deletes into base files of a target size, bucket by bucket in
 * bounded memory; the {@link MaintenanceRunner} expires snapshots, removes orphan files and
 * expires the delta history; the {@link CompactionScheduler} runs both when tables need it; and
 * {@link lakeCheckpoint} builds a new client's initial sync from the lake instead of the
 * gateway's memory. Runtime-neutral (Node, Workers with `nodejs_compat`); the Node-only file
 * listing that finds crashed writes' temporary files is in `@lakesync/compactor/node`.
 *
 * @example
 * import { Compactor, MaintenanceRunner } from "@lakesync/compactor";
 * const compactor = new Compactor({ catalogue, location });
 * await compactor.compactNamespace(["gw"]);
 * await new MaintenanceRunner({ catalogue, location }).run(["gw"]);
 */

export { estimateDeltaBytes } from "./checkpoint/chunk-cutter.js";
export {
  type CheckpointTable,
  DEFAULT_CHUNK_BYTES,
  type LakeCheckpoint,
  type LakeCheckpointOptions,
  type LakeCheckpointPlan,
  lakeCheckpoint,
  planLakeCheckpoint,
} from "./checkpoint/lake-checkpoint.js";
export {
  type LakeCheckpointRequest,
  type LakeCheckpointSourceOptions,
  type LakeSourcedCheckpoint,
  lakeCheckpointSource,
} from "./checkpoint/lake-checkpoint-source.js";
export {
  COMPACTED_FROM_PROPERTY,
  type CompactTableRequest,
  compactTable,
  type TableCompaction,
} from "./compaction/compact-table.js";
export {
  type CompactionLimits,
  type CompactionOptions,
  compactionLimits,
  DEFAULT_MEMORY_BUDGET_BYTES,
  DEFAULT_TARGET_FILE_BYTES,
  MIN_MEMORY_BUDGET_BYTES,
} from "./compaction/compaction-options.js";
export {
  type CompactionPlan,
  type FileGrouping,
  type PartitionGroup,
  planCompaction,
} from "./compaction/compaction-plan.js";
export {
  Compactor,
  type CompactorOptions,
  type SyncedTableCompaction,
} from "./compaction/compactor.js";
export { type TableHealth, tableHealth } from "./compaction/table-health.js";
export {
  CompactorError,
  type CompactorErrorCode,
  isCompactorError,
} from "./errors.js";
export { type NamespaceTables, namespaceTables } from "./lake-tables.js";
export {
  type ExpireSnapshotsRequest,
  expireSnapshots,
  retainedSnapshots,
  type SnapshotExpiry,
  type SnapshotRetention,
} from "./maintenance/expire-snapshots.js";
export {
  type ExpireHistoryRequest,
  expireHistory,
  type HistoryExpiry,
} from "./maintenance/history-expiry.js";
export {
  checkHistoryAnswers,
  HISTORY_RETAINED_FROM_PROPERTY,
  type HistoryLocation,
  oldestAnswerableHlc,
} from "./maintenance/history-horizon.js";
export {
  DAY_MS,
  type MaintenanceOptions,
  type MaintenanceReport,
  MaintenanceRunner,
} from "./maintenance/maintenance-runner.js";
export {
  type FileLister,
  type OrphanRemoval,
  type RemoveOrphansRequest,
  removeOrphans,
} from "./maintenance/remove-orphans.js";
export { historyGuard, keyedChain, stateGuard } from "./maintenance/retention-guards.js";
export type { Progress, ProgressListener, ProgressOperation } from "./progress.js";
export {
  CompactionScheduler,
  type CompactionSchedulerOptions,
  type SchedulerTimers,
  type TickReport,
} from "./scheduling/compaction-scheduler.js";
