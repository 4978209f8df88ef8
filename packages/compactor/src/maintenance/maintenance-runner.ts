/**
 * @module maintenance/maintenance-runner
 * Maintenance of a namespace's lake tables, in the order that frees the most: the history's
 * old deltas are consolidated first (its replaced files then belong to old snapshots only),
 * then snapshots expire table by table (`ns.T` before its state table, whose guard depends on
 * what `ns.T` kept), then orphan files are removed. Defaults follow Iceberg's: snapshots older
 * than 5 days expire but the last one stays; orphans must be 3 days old; the history keeps 30
 * days.
 *
 * @example
 * const runner = new MaintenanceRunner({ catalogue, location, historyRetentionMs: 7 * DAY_MS });
 * const report = await runner.run(["gw"]);
 */
import {
  type Catalogue,
  HISTORY_TABLE,
  type LakeLocation,
  lakeTables,
  type Namespace,
  type RetryOptions,
  type TableIdentifier,
  type TableMetadata,
} from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { compactionLimits } from "../compaction/compaction-options.js";
import { CompactorError, wrapError } from "../errors.js";
import { namespaceTables } from "../lake-tables.js";
import type { ProgressListener } from "../progress.js";
import { expireSnapshots, type SnapshotExpiry } from "./expire-snapshots.js";
import { expireHistory, type HistoryExpiry } from "./history-expiry.js";
import { type FileLister, type OrphanRemoval, removeOrphans } from "./remove-orphans.js";
import { historyGuard, keyedChain, stateGuard } from "./retention-guards.js";

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Options of a {@link MaintenanceRunner}. */
export interface MaintenanceOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  /** Snapshots older than this expire (default 5 days). */
  readonly snapshotMaxAgeMs?: number;
  /** The newest snapshots of each table kept whatever their age (default 1). */
  readonly retainLastSnapshots?: number;
  /** Unreferenced files younger than this are kept (default 3 days). */
  readonly orphanMinAgeMs?: number;
  /** Deltas older than this are consolidated (default 30 days). */
  readonly historyRetentionMs?: number;
  /** Memory for history expiry (default 96 MiB). */
  readonly memoryBudgetBytes?: number;
  /** Lists a table's files; the default (`adapter.listObjects`) may hide temporary files. */
  readonly listFiles?: FileLister;
  /** Epoch ms now (default `Date.now`). */
  readonly now?: () => number;
  readonly retry?: RetryOptions;
  readonly uuid?: () => string;
  readonly onProgress?: ProgressListener;
}

/** What one maintenance run did. */
export interface MaintenanceReport {
  readonly history: HistoryExpiry | undefined;
  readonly snapshots: readonly SnapshotExpiry[];
  readonly orphans: readonly OrphanRemoval[];
}

const nonNegative = (value: number | undefined, name: string) =>
  value === undefined || (Number.isFinite(value) && value >= 0)
    ? undefined
    : `${name} must be a non-negative number, got ${String(value)}`;

/** Runs maintenance on namespaces of one lake (see the module comment). */
export class MaintenanceRunner {
  readonly #options: MaintenanceOptions;

  constructor(options: MaintenanceOptions) {
    this.#options = options;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #check(): CompactorError | undefined {
    const o = this.#options;
    const problem =
      nonNegative(o.snapshotMaxAgeMs, "snapshotMaxAgeMs") ??
      nonNegative(o.orphanMinAgeMs, "orphanMinAgeMs") ??
      nonNegative(o.historyRetentionMs, "historyRetentionMs") ??
      (o.retainLastSnapshots === undefined ||
      (Number.isSafeInteger(o.retainLastSnapshots) && o.retainLastSnapshots >= 1)
        ? undefined
        : `retainLastSnapshots must be an integer of at least 1, got ${o.retainLastSnapshots}`);
    return problem ? new CompactorError("INVALID_OPTIONS", problem) : undefined;
  }

  /**
   * History expiry, snapshot expiry, orphan removal, for every table of `namespace`. Stops at
   * the first failure. `Err(CompactorError)`: `INVALID_OPTIONS`, `MAINTENANCE_FAILED`.
   */
  async run(namespace: Namespace): Promise<Result<MaintenanceReport, LakeSyncError>> {
    const history = await this.expireHistory(namespace);
    if (!history.ok) return history;
    const snapshots = await this.expireSnapshots(namespace);
    if (!snapshots.ok) return snapshots;
    const orphans = await this.removeOrphans(namespace);
    if (!orphans.ok) return orphans;
    return Ok({ history: history.value, snapshots: snapshots.value, orphans: orphans.value });
  }

  /** Consolidates the history's deltas older than its retention (see `expireHistory`). */
  async expireHistory(
    namespace: Namespace,
  ): Promise<Result<HistoryExpiry | undefined, LakeSyncError>> {
    const bad = this.#check();
    if (bad) return Err(bad);
    const o = this.#options;
    const limits = compactionLimits(
      o.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: o.memoryBudgetBytes },
    );
    if (!limits.ok) return limits;
    return expireHistory({
      catalogue: o.catalogue,
      location: o.location,
      namespace,
      retentionMs: o.historyRetentionMs ?? 30 * DAY_MS,
      now: this.#now(),
      limits: limits.value,
      ...(o.uuid ? { uuid: o.uuid } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  }

  /**
   * Expires old snapshots of every table of `namespace`, keeping what the layout needs
   * (`retention-guards`): per synced table `ns.T` first, then its state table; then the history.
   */
  async expireSnapshots(namespace: Namespace): Promise<Result<SnapshotExpiry[], LakeSyncError>> {
    const bad = this.#check();
    if (bad) return Err(bad);
    const listed = await namespaceTables(this.#options.catalogue, namespace);
    if (!listed.ok) return listed.error.code === "NO_SUCH_NAMESPACE" ? Ok([]) : listed;
    const out: SnapshotExpiry[] = [];
    for (const table of listed.value.synced) {
      const ids = lakeTables(namespace, table);
      const main = await this.#expire(ids.main, keyedChain);
      if (!main.ok) return main;
      const mainNow = await this.#options.catalogue.loadTable(ids.main);
      if (!mainNow.ok) return mainNow;
      const state = await this.#expire(ids.state, (metadata) =>
        stateGuard(mainNow.value.metadata, main.value.retained, metadata),
      );
      if (!state.ok) return state;
      out.push(main.value, state.value);
    }
    if (listed.value.history) {
      const history = await this.#expire({ namespace, name: HISTORY_TABLE }, historyGuard);
      if (!history.ok) return history;
      out.push(history.value);
    }
    return Ok(out);
  }

  #expire(table: TableIdentifier, protect: (metadata: TableMetadata) => ReadonlySet<number>) {
    const o = this.#options;
    return expireSnapshots({
      catalogue: o.catalogue,
      location: o.location,
      table,
      retention: {
        maxAgeMs: o.snapshotMaxAgeMs ?? 5 * DAY_MS,
        retainLast: o.retainLastSnapshots ?? 1,
      },
      now: this.#now(),
      protect,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  }

  /** Removes orphan files under every table of `namespace` (see `removeOrphans`). */
  async removeOrphans(namespace: Namespace): Promise<Result<OrphanRemoval[], LakeSyncError>> {
    const bad = this.#check();
    if (bad) return Err(bad);
    const o = this.#options;
    const listed = await o.catalogue.listTables(namespace);
    if (!listed.ok) return listed.error.code === "NO_SUCH_NAMESPACE" ? Ok([]) : listed;
    // A table located inside another's directory must not be judged by the outer table.
    const roots: { table: TableIdentifier; key: string }[] = [];
    for (const table of listed.value) {
      const loaded = await o.catalogue.loadTable(table);
      if (!loaded.ok)
        return Err(wrapError("MAINTENANCE_FAILED", "removing orphan files", loaded.error));
      const key = o.location.keyOf(loaded.value.metadata.location);
      if (!key.ok) return Err(wrapError("MAINTENANCE_FAILED", "removing orphan files", key.error));
      roots.push({ table, key: `${key.value}/` });
    }
    const out: OrphanRemoval[] = [];
    for (const { table, key } of roots) {
      const removed = await removeOrphans({
        catalogue: o.catalogue,
        location: o.location,
        table,
        minAgeMs: o.orphanMinAgeMs ?? 3 * DAY_MS,
        now: this.#now(),
        exclude: roots.filter((r) => r.key !== key && r.key.startsWith(key)).map((r) => r.key),
        ...(o.listFiles ? { list: o.listFiles } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });
      if (!removed.ok) return removed;
      out.push(removed.value);
    }
    return Ok(out);
  }
}
