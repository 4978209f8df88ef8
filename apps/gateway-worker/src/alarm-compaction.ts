/**
 * @module alarm-compaction
 * Compaction and maintenance of a gateway's Iceberg tables from its Durable Object's alarm. An
 * object has one alarm, shared with flushing: every push and every flush makes sure a compaction
 * check is due `COMPACTION_INTERVAL_MS` later (kept in storage, so it survives eviction), and the
 * alarm fires at the earlier of that and the next flush. When the check is due, a
 * `CompactionScheduler` tick compacts the tables past the small-file or delete-file thresholds and,
 * once per `MAINTENANCE_INTERVAL_MS`, expires snapshots, removes orphan files and expires the
 * history, within `COMPACTION_MEMORY_BYTES`. Nothing is armed again until the next write, so an
 * idle object sleeps. Off without an Iceberg catalogue or with `COMPACTION=off`.
 */
import type { Catalogue, LakeLocation, Namespace } from "@lakesync/catalogue";
import { CompactionScheduler, DAY_MS } from "@lakesync/compactor";
import { intVar } from "./vars.js";

/** Storage keys: when the next check is due, and when maintenance last ran (epoch ms). */
const DUE_KEY = "lakesync-compaction-due";
const MAINTAINED_KEY = "lakesync-maintained-at";

/** The Worker's compaction variables (part of its `Env`; defaults in README.md). */
export interface CompactionVars {
  /** The Iceberg REST catalogue flushes commit to (R2 Data Catalog's URI in production). */
  readonly CATALOGUE_URI?: string;
  /** `on` (the default with a catalogue) or `off`: compaction and maintenance from the alarm. */
  readonly COMPACTION?: string;
  /** How long after a write the alarm looks at the tables (ms); 60 s. */
  readonly COMPACTION_INTERVAL_MS?: string;
  /** Compact a table with more small data files than this; 16. */
  readonly COMPACTION_SMALL_FILES?: string;
  /** … or more delete files than this; 8. */
  readonly COMPACTION_DELETE_FILES?: string;
  /** Target size of compacted files in bytes; 128 MiB. */
  readonly COMPACTION_TARGET_BYTES?: string;
  /** Memory budget of compaction and lake checkpoints in bytes; 48 MiB. */
  readonly COMPACTION_MEMORY_BYTES?: string;
  /** Maintenance (snapshot expiry, orphan files, history) at most this often (ms); 1 hour. */
  readonly MAINTENANCE_INTERVAL_MS?: string;
  /** Snapshots older than this expire (ms); 5 days. */
  readonly SNAPSHOT_MAX_AGE_MS?: string;
  /** Unreferenced files older than this are removed (ms); 3 days. */
  readonly ORPHAN_MIN_AGE_MS?: string;
  /** The delta history kept (ms); 30 days. */
  readonly HISTORY_RETENTION_MS?: string;
}

/** The compaction settings of the Worker's variables. */
export interface AlarmCompactionSettings {
  readonly intervalMs: number;
  readonly smallFiles: number;
  readonly deleteFiles: number;
  readonly targetFileBytes: number;
  readonly memoryBudgetBytes: number;
  readonly maintenanceIntervalMs: number;
  readonly snapshotMaxAgeMs: number;
  readonly orphanMinAgeMs: number;
  readonly historyRetentionMs: number;
}

/**
 * The memory budget of compaction and of checkpoints read from the lake (`COMPACTION_MEMORY_BYTES`,
 * default 48 MiB: a Durable Object has 128 MB, and its row cache and buffers need their share).
 */
export function workerMemoryBudget(env: CompactionVars): number {
  return intVar(env.COMPACTION_MEMORY_BYTES, 48 * 1024 * 1024);
}

/** The settings of `env` (see env.ts for the variables and defaults), or `undefined` when off. */
export function alarmCompactionSettings(env: CompactionVars): AlarmCompactionSettings | undefined {
  if (!env.CATALOGUE_URI || env.COMPACTION === "off") return undefined;
  return {
    intervalMs: intVar(env.COMPACTION_INTERVAL_MS, 60_000),
    smallFiles: intVar(env.COMPACTION_SMALL_FILES, 16),
    deleteFiles: intVar(env.COMPACTION_DELETE_FILES, 8),
    targetFileBytes: intVar(env.COMPACTION_TARGET_BYTES, 128 * 1024 * 1024),
    memoryBudgetBytes: workerMemoryBudget(env),
    maintenanceIntervalMs: intVar(env.MAINTENANCE_INTERVAL_MS, 3_600_000),
    snapshotMaxAgeMs: intVar(env.SNAPSHOT_MAX_AGE_MS, 5 * DAY_MS),
    orphanMinAgeMs: intVar(env.ORPHAN_MIN_AGE_MS, 3 * DAY_MS),
    historyRetentionMs: intVar(env.HISTORY_RETENTION_MS, 30 * DAY_MS),
  };
}

/** The part of a Durable Object's storage the checks keep their times in. */
export interface AlarmCompactionStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** One gateway's compaction checks (see the module comment). */
export class AlarmCompaction {
  readonly #settings: AlarmCompactionSettings;
  readonly #lake: { readonly catalogue: Catalogue; readonly location: LakeLocation };
  readonly #namespace: Namespace;
  readonly #storage: AlarmCompactionStorage;
  readonly #log: (line: string) => void;

  constructor(options: {
    readonly settings: AlarmCompactionSettings;
    readonly lake: { readonly catalogue: Catalogue; readonly location: LakeLocation };
    readonly namespace: Namespace;
    readonly storage: AlarmCompactionStorage;
    readonly log?: (line: string) => void;
  }) {
    this.#settings = options.settings;
    this.#lake = options.lake;
    this.#namespace = options.namespace;
    this.#storage = options.storage;
    this.#log = options.log ?? ((line) => console.error(line));
  }

  /** Makes sure a check is due (an interval from `now` unless one already is); returns when. */
  async arm(now: number): Promise<number> {
    const due = await this.#storage.get<number>(DUE_KEY);
    if (due !== undefined) return due;
    const at = now + this.#settings.intervalMs;
    await this.#storage.put(DUE_KEY, at);
    return at;
  }

  /**
   * Runs the check when it is due: compaction of the tables that need it and, when its interval
   * has passed, maintenance. Returns when the next check is due: `undefined` once a check ran
   * cleanly and nothing was written meanwhile (the next write arms one), an interval later when
   * a table failed (retried then).
   * Failures are logged, never thrown: they must not stop the object flushing.
   */
  async runIfDue(now: number): Promise<number | undefined> {
    const due = await this.#storage.get<number>(DUE_KEY);
    if (due === undefined || due > now) return due;
    await this.#storage.delete(DUE_KEY);
    const s = this.#settings;
    const last = await this.#storage.get<number>(MAINTAINED_KEY);
    const maintain = last === undefined || now - last >= s.maintenanceIntervalMs;
    const namespace = this.#namespace;
    const scheduler = new CompactionScheduler({
      ...this.#lake,
      namespaces: () => [namespace],
      smallFileThreshold: s.smallFiles,
      deleteFileThreshold: s.deleteFiles,
      targetFileBytes: s.targetFileBytes,
      memoryBudgetBytes: s.memoryBudgetBytes,
      // The object forgets its scheduler between alarms: storage remembers the last run.
      maintenanceIntervalMs: maintain ? 0 : false,
      maintenance: {
        snapshotMaxAgeMs: s.snapshotMaxAgeMs,
        orphanMinAgeMs: s.orphanMinAgeMs,
        historyRetentionMs: s.historyRetentionMs,
      },
      now: () => now,
    });
    const tick = await scheduler.tick();
    const name = namespace.join(".");
    if (!tick.ok) {
      this.#log(`lakesync: compaction of ${name}: ${tick.error.message}`);
      return this.arm(now);
    }
    if (maintain) await this.#storage.put(MAINTAINED_KEY, now);
    for (const error of tick.value.errors)
      this.#log(`lakesync: compaction of ${name}: ${error.message}`);
    if (tick.value.errors.length > 0) return this.arm(now);
    // A write during the check may have armed the next one already.
    return this.#storage.get<number>(DUE_KEY);
  }
}

/** The earlier of two optional times (epoch ms). */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}
