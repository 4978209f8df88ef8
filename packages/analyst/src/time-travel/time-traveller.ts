/**
 * @module time-travel/time-traveller
 * A synced table as it was: as of an Iceberg snapshot (by id or by time: exactly the rows that
 * snapshot holds), or as of an HLC (the flushed deltas of the history table at or before it,
 * folded with core's merge). A moment older than what the lake keeps is `BEYOND_RETENTION`,
 * never a silently different answer.
 *
 * @example
 * const traveller = new TimeTraveller({ catalogue, location, namespace: ["todos"] });
 * const then = await traveller.asOfHlc("todos", hlc);
 * const snap = await traveller.asOfSnapshot("todos", { asOfTimestampMs: Date.parse("2026-12-01") });
 */
import {
  type Catalogue,
  currentSchema,
  HISTORY_TABLE,
  icebergToTableSchema,
  type LakeLocation,
  type LakeTable,
  lakeTables,
  type Namespace,
  readLakeHistory,
  readLakeTable,
} from "@lakesync/catalogue";
import { Err, type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { AnalystError } from "../errors.js";
import { chooseSnapshot } from "../lake/snapshot-choice.js";
import { schemaWithDeltas } from "../union/delta-schema.js";
import { historyRetainedFrom } from "./history-retention.js";
import { type TableAsOf, TableHistory } from "./table-history.js";

/** What a {@link TimeTraveller} reads. */
export interface TimeTravellerOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
}

/** Reads tables as they were (see the module comment). */
export class TimeTraveller {
  readonly #options: TimeTravellerOptions;

  constructor(options: TimeTravellerOptions) {
    this.#options = options;
  }

  /**
   * `table` exactly as one snapshot of `ns.T` holds it: by id, or the snapshot current at a
   * moment (before the table's first commit: no rows). `Err`: `BEYOND_RETENTION` for an expired
   * snapshot or a moment before the oldest kept one; `INVALID_INPUT` for an unknown id; the
   * catalogue's `NO_SUCH_TABLE`; the lake readers' errors.
   */
  async asOfSnapshot(
    table: string,
    at: { readonly snapshotId: number } | { readonly asOfTimestampMs: number },
  ): Promise<Result<LakeTable, LakeSyncError>> {
    const { catalogue, location, namespace } = this.#options;
    const loaded = await catalogue.loadTable(lakeTables(namespace, table).main);
    if (!loaded.ok) return loaded;
    const chosen = chooseSnapshot(loaded.value.metadata, at, table);
    if (!chosen.ok) return chosen;
    const snapshot = chosen.value.snapshot;
    if (!snapshot)
      return Ok({
        schema: icebergToTableSchema(table, currentSchema(loaded.value.metadata)),
        snapshotId: undefined,
        rows: new Map(),
      });
    return readLakeTable({
      catalogue,
      location,
      namespace,
      table,
      snapshotId: snapshot["snapshot-id"],
    });
  }

  /**
   * The flushed history of `table`, to fold as of many HLCs (a time-travel slider). `Err`:
   * `BEYOND_RETENTION` when the lake keeps no history (a flush target with `history: false`);
   * the catalogue's `NO_SUCH_TABLE` when neither the table nor a history exists.
   */
  async history(table: string): Promise<Result<TableHistory, LakeSyncError>> {
    const { catalogue, location, namespace } = this.#options;
    const main = await catalogue.loadTable(lakeTables(namespace, table).main);
    const historyTable = await catalogue.loadTable({ namespace, name: HISTORY_TABLE });
    if (!historyTable.ok) {
      if (historyTable.error.code === "NO_SUCH_TABLE" && main.ok)
        return Err(
          new AnalystError(
            "BEYOND_RETENTION",
            `the lake keeps no delta history for namespace "${namespace.join(".")}": time travel by HLC is not possible (read a snapshot instead)`,
          ),
        );
      return historyTable;
    }
    const read = await readLakeHistory({ catalogue, location, namespace, table });
    if (!read.ok) return read;
    const deltas = read.value.map((e) => e.delta);
    let oldest: HLCTimestamp | undefined;
    for (const d of deltas) if (oldest === undefined || d.hlc < oldest) oldest = d.hlc;
    const base = main.ok
      ? icebergToTableSchema(table, currentSchema(main.value.metadata))
      : { table, columns: [] };
    const seen = new Map<string, unknown[]>();
    for (const d of deltas)
      for (const c of d.columns) {
        const values = seen.get(c.column) ?? [];
        if (values.length < 8) values.push(c.value);
        seen.set(c.column, values);
      }
    return Ok(
      new TableHistory(
        schemaWithDeltas(base, seen),
        deltas,
        historyRetainedFrom(historyTable.value.metadata, oldest),
      ),
    );
  }

  /**
   * `table` as a replica that received exactly the flushed deltas with an HLC at or before
   * `hlc` would hold it. Errors as {@link history}, plus `BEYOND_RETENTION` for an HLC older
   * than the history reaches.
   */
  async asOfHlc(table: string, hlc: HLCTimestamp): Promise<Result<TableAsOf, LakeSyncError>> {
    const history = await this.history(table);
    if (!history.ok) return history;
    return history.value.asOf(hlc);
  }
}
