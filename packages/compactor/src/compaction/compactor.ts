/**
 * @module compaction/compactor
 * The compactor of LakeSync's lake: per synced table, its merge-metadata table
 * (`ns._lakesync_state_T`) and then the table itself (`ns.T`) are compacted, each in one
 * `replace` snapshot; the history (`ns._lakesync_history`) has its small files merged, one
 * synced table per file. Compaction snapshots carry no commit key, so the state pairing of
 * ADR-014 still pairs every snapshot of `ns.T` with the right state snapshot (ADR-015).
 *
 * @example
 * const compactor = new Compactor({ catalogue, location, targetFileBytes: 64 * 1024 * 1024 });
 * const done = await compactor.compact(["gw"], "todos");
 * if (done.ok) console.log(done.value.main.filesWritten, "files written");
 */
import {
  type Catalogue,
  deserialiseValue,
  HISTORY_TABLE,
  type LakeLocation,
  lakeTables,
  type Namespace,
  type ScanFile,
  type TableIdentifier,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { namespaceTables } from "../lake-tables.js";
import { compactTable, type TableCompaction } from "./compact-table.js";
import { type CompactionOptions, compactionLimits } from "./compaction-options.js";

/** Options of a {@link Compactor}: the lake, and how to compact. */
export interface CompactorOptions extends CompactionOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
}

/** What compacting one synced table did to its two tables. */
export interface SyncedTableCompaction {
  readonly table: string;
  readonly state: TableCompaction;
  readonly main: TableCompaction;
}

/** The field id of `table` in the history table's schema. */
const HISTORY_TABLE_FIELD_ID = 2;

/**
 * History files hold one synced table each: group them by it, read from the column's lower bound
 * (bounds keep 16 characters, so two tables sharing a 16-character prefix share a group, which
 * only costs pruning).
 */
function historyGrouping(file: ScanFile): string {
  const lower = file.dataFile.lowerBounds?.get(HISTORY_TABLE_FIELD_ID);
  const value = lower ? deserialiseValue("string", lower) : undefined;
  return typeof value === "string" ? `table:${value}` : "";
}

/** Compacts the lake's tables (see the module comment). Holds no state but its options. */
export class Compactor {
  readonly #options: CompactorOptions;

  constructor(options: CompactorOptions) {
    this.#options = options;
  }

  /**
   * Compacts any Iceberg table of the catalogue. `Err`: `INVALID_OPTIONS` for bad options, else
   * as `compactTable`.
   */
  async compactIcebergTable(
    table: TableIdentifier,
    grouping?: (file: ScanFile) => string,
  ): Promise<Result<TableCompaction, LakeSyncError>> {
    const limits = compactionLimits(this.#options);
    if (!limits.ok) return limits;
    const { catalogue, location } = this.#options;
    return compactTable({
      catalogue,
      location,
      table,
      limits: limits.value,
      options: this.#options,
      ...(grouping ? { grouping } : {}),
    });
  }

  /**
   * Compacts synced table `table` of `namespace`: its state table, then the table. `Err` as
   * {@link compactIcebergTable}; when the state table was compacted and the table failed, the
   * state table's compaction stays (both hold the same rows either way).
   */
  async compact(
    namespace: Namespace,
    table: string,
  ): Promise<Result<SyncedTableCompaction, LakeSyncError>> {
    const ids = lakeTables(namespace, table);
    const state = await this.compactIcebergTable(ids.state);
    if (!state.ok) return state;
    const main = await this.compactIcebergTable(ids.main);
    if (!main.ok) return main;
    return Ok({ table, state: state.value, main: main.value });
  }

  /** Merges the small files of the namespace's history, one synced table per file. */
  compactHistory(namespace: Namespace): Promise<Result<TableCompaction, LakeSyncError>> {
    return this.compactIcebergTable({ namespace, name: HISTORY_TABLE }, historyGrouping);
  }

  /**
   * Compacts every synced table of `namespace` and its history. Stops at the first failure.
   * `Err`: the catalogue's (`NO_SUCH_NAMESPACE`), or as {@link compact}.
   */
  async compactNamespace(
    namespace: Namespace,
  ): Promise<
    Result<{ tables: SyncedTableCompaction[]; history: TableCompaction | undefined }, LakeSyncError>
  > {
    const listed = await namespaceTables(this.#options.catalogue, namespace);
    if (!listed.ok) return listed;
    const tables: SyncedTableCompaction[] = [];
    for (const table of listed.value.synced) {
      const done = await this.compact(namespace, table);
      if (!done.ok) return done;
      tables.push(done.value);
    }
    if (!listed.value.history) return Ok({ tables, history: undefined });
    const history = await this.compactHistory(namespace);
    if (!history.ok) return history;
    return Ok({ tables, history: history.value });
  }
}
