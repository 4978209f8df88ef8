/**
 * @module lake-maintenance
 * Keeping the Node gateway's Iceberg lake healthy: a `CompactionScheduler` on a timer that
 * compacts tables once they have too many small or delete files and runs maintenance (snapshot
 * expiry, orphan removal with the file-system lake's crashed temporary files, history expiry)
 * every so often, for every namespace of the lake's catalogue. Configured by `LAKESYNC_COMPACTION`
 * (`on`, the default, or `off`) and the variables {@link lakeCompactionConfig} reads.
 */
import type { Catalogue, LakeLocation } from "@lakesync/catalogue";
import {
  CompactionScheduler,
  DAY_MS,
  type FileLister,
  type MaintenanceOptions,
} from "@lakesync/compactor";
import { fileSystemLister } from "@lakesync/compactor/node";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { ServerConfig } from "./config.js";

/** How the lake is compacted and maintained. */
export interface LakeCompactionConfig {
  /** `LAKESYNC_COMPACTION`: on (default) or off. */
  readonly enabled: boolean;
  /** `LAKESYNC_COMPACTION_INTERVAL_MS`: how often tables are looked at (default 60 s). */
  readonly intervalMs: number;
  /** `LAKESYNC_COMPACTION_SMALL_FILES`: compact a table with more small files (default 16). */
  readonly smallFiles: number;
  /** `LAKESYNC_COMPACTION_DELETE_FILES`: … or more delete files (default 8). */
  readonly deleteFiles: number;
  /** `LAKESYNC_COMPACTION_TARGET_BYTES`: target file size (default 128 MiB). */
  readonly targetFileBytes: number;
  /** `LAKESYNC_COMPACTION_MEMORY_BYTES`: memory budget (default 96 MiB). */
  readonly memoryBudgetBytes: number;
  /** `LAKESYNC_MAINTENANCE_INTERVAL_MS`: maintenance at most this often (default 1 hour). */
  readonly maintenanceIntervalMs: number;
  /** `LAKESYNC_SNAPSHOT_MAX_AGE_MS`: snapshots older than this expire (default 5 days). */
  readonly snapshotMaxAgeMs: number;
  /** `LAKESYNC_ORPHAN_MIN_AGE_MS`: unreferenced files older than this are removed (default 3 days). */
  readonly orphanMinAgeMs: number;
  /** `LAKESYNC_HISTORY_RETENTION_MS`: history kept as it was (default 30 days). */
  readonly historyRetentionMs: number;
  /**
   * `LAKESYNC_CHECKPOINTS`: where new clients' checkpoints come from: `store` (the default, each
   * gateway's own rows) or `lake` (the compacted tables, then the gateway's log; see
   * `lake-checkpoints`).
   */
  readonly checkpoints: "lake" | "store";
}

/** The defaults of {@link LakeCompactionConfig}. */
export const DEFAULT_LAKE_COMPACTION: LakeCompactionConfig = {
  enabled: true,
  intervalMs: 60_000,
  smallFiles: 16,
  deleteFiles: 8,
  targetFileBytes: 128 * 1024 * 1024,
  memoryBudgetBytes: 96 * 1024 * 1024,
  maintenanceIntervalMs: 3_600_000,
  snapshotMaxAgeMs: 5 * DAY_MS,
  orphanMinAgeMs: 3 * DAY_MS,
  historyRetentionMs: 30 * DAY_MS,
  checkpoints: "store",
};

/** The numeric settings: field, variable, config-file key, smallest value. */
const NUMBERS: readonly [
  Exclude<keyof LakeCompactionConfig, "enabled" | "checkpoints">,
  string,
  string,
  number,
][] = [
  ["intervalMs", "LAKESYNC_COMPACTION_INTERVAL_MS", "compactionIntervalMs", 1_000],
  ["smallFiles", "LAKESYNC_COMPACTION_SMALL_FILES", "compactionSmallFiles", 0],
  ["deleteFiles", "LAKESYNC_COMPACTION_DELETE_FILES", "compactionDeleteFiles", 0],
  ["targetFileBytes", "LAKESYNC_COMPACTION_TARGET_BYTES", "compactionTargetBytes", 1_024],
  [
    "memoryBudgetBytes",
    "LAKESYNC_COMPACTION_MEMORY_BYTES",
    "compactionMemoryBytes",
    4 * 1024 * 1024,
  ],
  ["maintenanceIntervalMs", "LAKESYNC_MAINTENANCE_INTERVAL_MS", "maintenanceIntervalMs", 1_000],
  ["snapshotMaxAgeMs", "LAKESYNC_SNAPSHOT_MAX_AGE_MS", "snapshotMaxAgeMs", 0],
  ["orphanMinAgeMs", "LAKESYNC_ORPHAN_MIN_AGE_MS", "orphanMinAgeMs", 0],
  ["historyRetentionMs", "LAKESYNC_HISTORY_RETENTION_MS", "historyRetentionMs", 0],
];

/**
 * Reads the compaction settings through `pick` (an environment variable, else a config-file
 * key). `Err` (`INVALID_CONFIG`) naming the first bad setting.
 */
export function lakeCompactionConfig(
  pick: (envName: string, key: string) => string | undefined,
): Result<LakeCompactionConfig, LakeSyncError> {
  const mode = pick("LAKESYNC_COMPACTION", "compaction") ?? "on";
  if (mode !== "on" && mode !== "off")
    return Err(
      new LakeSyncError(
        "INVALID_CONFIG",
        `LAKESYNC_COMPACTION must be on or off, got ${JSON.stringify(mode)}`,
      ),
    );
  const checkpoints = pick("LAKESYNC_CHECKPOINTS", "checkpoints") ?? "store";
  if (checkpoints !== "lake" && checkpoints !== "store")
    return Err(
      new LakeSyncError(
        "INVALID_CONFIG",
        `LAKESYNC_CHECKPOINTS must be lake or store, got ${JSON.stringify(checkpoints)}`,
      ),
    );
  const out: { -readonly [K in keyof LakeCompactionConfig]: LakeCompactionConfig[K] } = {
    ...DEFAULT_LAKE_COMPACTION,
    enabled: mode === "on",
    checkpoints,
  };
  for (const [field, envName, key, min] of NUMBERS) {
    const text = pick(envName, key);
    if (text === undefined || text === "") continue;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min)
      return Err(
        new LakeSyncError(
          "INVALID_CONFIG",
          `${envName} must be an integer of at least ${min}, got ${JSON.stringify(text)}`,
        ),
      );
    out[field] = n;
  }
  return Ok(out);
}

/** The maintenance settings of {@link lakeMaintenanceOptions}. */
export type LakeMaintenanceSettings = Pick<
  MaintenanceOptions,
  "snapshotMaxAgeMs" | "orphanMinAgeMs" | "historyRetentionMs"
> & { readonly listFiles?: FileLister };

/**
 * What maintenance of the configuration's lake uses, whoever runs it (the server's scheduler,
 * `lakesync expire`): the retention settings and, for a file-system lake, a listing that sees
 * crashed writes' temporary files.
 */
export function lakeMaintenanceOptions(config: ServerConfig): LakeMaintenanceSettings {
  const c = config.compaction ?? DEFAULT_LAKE_COMPACTION;
  return {
    snapshotMaxAgeMs: c.snapshotMaxAgeMs,
    orphanMinAgeMs: c.orphanMinAgeMs,
    historyRetentionMs: c.historyRetentionMs,
    // The file-system lake hides crashed writes' temporary files from its own listing.
    ...(config.lake.kind === "fs" ? { listFiles: fileSystemLister(config.lake.dir) } : {}),
  };
}

/** A running scheduler and how to stop it. */
export interface LakeMaintenance {
  readonly scheduler: CompactionScheduler;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Starts compaction and maintenance of `lake` as `config.compaction` says (nothing when it is
 * off). Failures are logged through `log` and retried at the next tick; they never stop the
 * gateway.
 */
export function startLakeMaintenance(
  config: ServerConfig,
  lake: { readonly catalogue: Catalogue; readonly location: LakeLocation },
  log: (line: string) => void = (line) => console.error(line),
): LakeMaintenance | undefined {
  const c = config.compaction ?? DEFAULT_LAKE_COMPACTION;
  if (!c.enabled) return undefined;
  const scheduler = new CompactionScheduler({
    catalogue: lake.catalogue,
    location: lake.location,
    namespaces: async () => {
      const listed = await lake.catalogue.listNamespaces();
      return listed.ok ? listed.value : [];
    },
    smallFileThreshold: c.smallFiles,
    deleteFileThreshold: c.deleteFiles,
    targetFileBytes: c.targetFileBytes,
    memoryBudgetBytes: c.memoryBudgetBytes,
    maintenanceIntervalMs: c.maintenanceIntervalMs,
    maintenance: lakeMaintenanceOptions(config),
  });
  scheduler.start(c.intervalMs, (report) => {
    if (!report.ok) log(`lakesync: compaction: ${report.error.message}`);
    else for (const error of report.value.errors) log(`lakesync: compaction: ${error.message}`);
  });
  return { scheduler, stop: () => scheduler.stop() };
}
