/**
 * @module scheduling/compaction-scheduler
 * Deciding when to compact and when to run maintenance. Each tick looks at every synced table of
 * the namespaces it looks after and compacts those with more than `smallFileThreshold` small data
 * files or more than `deleteFileThreshold` delete files (in the table or its state table), the
 * history likewise; and runs maintenance when `maintenanceIntervalMs` has passed since the last
 * run. Ticks never overlap. A host drives it: the Node gateway with `start()` (a timer), a
 * Durable Object from its alarm with `tick()`, the command line once.
 *
 * @example
 * const scheduler = new CompactionScheduler({ catalogue, location, namespaces: () => [["gw"]] });
 * scheduler.start(60_000);
 * // … on shutdown:
 * await scheduler.stop();
 */
import {
  type Catalogue,
  HISTORY_TABLE,
  type LakeLocation,
  lakeTables,
  type Namespace,
  type TableIdentifier,
} from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { TableCompaction } from "../compaction/compact-table.js";
import { type CompactionOptions, compactionLimits } from "../compaction/compaction-options.js";
import { Compactor, type SyncedTableCompaction } from "../compaction/compactor.js";
import { tableHealth } from "../compaction/table-health.js";
import { CompactorError } from "../errors.js";
import { namespaceTables } from "../lake-tables.js";
import {
  type MaintenanceOptions,
  type MaintenanceReport,
  MaintenanceRunner,
} from "../maintenance/maintenance-runner.js";

/** Options of a {@link CompactionScheduler}. */
export interface CompactionSchedulerOptions extends CompactionOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  /** The namespaces to look after (asked at every tick: gateways come and go). */
  readonly namespaces: () => readonly Namespace[] | Promise<readonly Namespace[]>;
  /** Compact a table with more small data files than this (default 16). */
  readonly smallFileThreshold?: number;
  /** Compact a table with more delete files than this (default 8). */
  readonly deleteFileThreshold?: number;
  /** Run maintenance at most this often, in ms (default 1 hour); `false` never. */
  readonly maintenanceIntervalMs?: number | false;
  /** Maintenance settings (the lake and the clock come from here). */
  readonly maintenance?: Omit<MaintenanceOptions, "catalogue" | "location" | "now">;
  /** Epoch ms now (default `Date.now`). */
  readonly now?: () => number;
}

/** What one tick did, per namespace. */
export interface TickReport {
  readonly compacted: readonly (SyncedTableCompaction | TableCompaction)[];
  readonly maintenance: readonly MaintenanceReport[];
  /** Failures of single tables or namespaces; the tick went on with the others. */
  readonly errors: readonly LakeSyncError[];
}

/** The timer functions `start` uses (injectable for tests and other runtimes). */
export interface SchedulerTimers {
  readonly setInterval: (callback: () => void, ms: number) => unknown;
  readonly clearInterval: (handle: unknown) => void;
}

/** Compacts and maintains tables when they need it (see the module comment). */
export class CompactionScheduler {
  readonly #options: CompactionSchedulerOptions;
  readonly #compactor: Compactor;
  readonly #maintenance: MaintenanceRunner;
  #running: Promise<Result<TickReport, LakeSyncError>> | undefined;
  #lastMaintenance: number | undefined;
  #timer: { handle: unknown; timers: SchedulerTimers } | undefined;

  constructor(options: CompactionSchedulerOptions) {
    this.#options = options;
    this.#compactor = new Compactor(options);
    this.#maintenance = new MaintenanceRunner({
      ...options.maintenance,
      catalogue: options.catalogue,
      location: options.location,
      ...(options.now ? { now: options.now } : {}),
      ...(options.memoryBudgetBytes === undefined
        ? {}
        : { memoryBudgetBytes: options.memoryBudgetBytes }),
    });
  }

  /**
   * One pass (see the module comment); while a pass runs, calling again returns the same pass.
   * `Err(CompactorError)` (`INVALID_OPTIONS`) only for bad options: failures of single tables are
   * collected in the report's `errors`.
   */
  tick(): Promise<Result<TickReport, LakeSyncError>> {
    if (!this.#running)
      this.#running = this.#tick().finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Runs `tick` every `intervalMs` until {@link stop}. Ticks that fail are reported by `onTick`. */
  start(
    intervalMs: number,
    onTick?: (report: Result<TickReport, LakeSyncError>) => void,
    timers: SchedulerTimers = {
      setInterval: (callback, ms) => {
        const handle = setInterval(callback, ms);
        // A timer in a server must not keep the process alive on its own.
        (handle as { unref?: () => void }).unref?.();
        return handle;
      },
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    },
  ): void {
    if (this.#timer) return;
    const handle = timers.setInterval(() => {
      void this.tick().then((report) => onTick?.(report));
    }, intervalMs);
    this.#timer = { handle, timers };
  }

  /** Stops the timer and waits for a running tick to finish. */
  async stop(): Promise<void> {
    if (this.#timer) this.#timer.timers.clearInterval(this.#timer.handle);
    this.#timer = undefined;
    await this.#running;
  }

  async #tick(): Promise<Result<TickReport, LakeSyncError>> {
    const o = this.#options;
    const limits = compactionLimits(o);
    if (!limits.ok) return limits;
    const small = o.smallFileThreshold ?? 16;
    const deletes = o.deleteFileThreshold ?? 8;
    if (!(small >= 0 && deletes >= 0))
      return Err(new CompactorError("INVALID_OPTIONS", "thresholds must be non-negative"));
    const now = (o.now ?? Date.now)();
    const interval = o.maintenanceIntervalMs ?? 3_600_000;
    const maintain =
      interval !== false &&
      (this.#lastMaintenance === undefined || now - this.#lastMaintenance >= interval);
    const compacted: (SyncedTableCompaction | TableCompaction)[] = [];
    const maintenance: MaintenanceReport[] = [];
    const errors: LakeSyncError[] = [];
    const needs = async (table: TableIdentifier) => {
      const health = await tableHealth(o.catalogue, o.location, table, limits.value.smallFileBytes);
      if (!health.ok) {
        errors.push(health.error);
        return false;
      }
      return health.value.smallFiles > small || health.value.deleteFiles > deletes;
    };
    for (const namespace of await o.namespaces()) {
      const listed = await namespaceTables(o.catalogue, namespace);
      if (!listed.ok) {
        if (listed.error.code !== "NO_SUCH_NAMESPACE") errors.push(listed.error);
        continue;
      }
      for (const table of listed.value.synced) {
        const ids = lakeTables(namespace, table);
        if (!((await needs(ids.main)) || (await needs(ids.state)))) continue;
        const done = await this.#compactor.compact(namespace, table);
        if (done.ok) compacted.push(done.value);
        else errors.push(done.error);
      }
      if (listed.value.history && (await needs({ namespace, name: HISTORY_TABLE }))) {
        const done = await this.#compactor.compactHistory(namespace);
        if (done.ok) compacted.push(done.value);
        else errors.push(done.error);
      }
      if (maintain) {
        const done = await this.#maintenance.run(namespace);
        if (done.ok) maintenance.push(done.value);
        else errors.push(done.error);
      }
    }
    if (maintain) this.#lastMaintenance = now;
    return Ok({ compacted, maintenance, errors });
  }
}
