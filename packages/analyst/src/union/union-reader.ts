/**
 * @module union/union-reader
 * A synced table as a fully synced client would hold it: the lake's latest snapshot of the
 * table (every row's merge state, from `ns.T` and `ns._lakesync_state_T`) merged, per column by
 * core's last-writer-wins, with the deltas the gateway has not flushed yet.
 *
 * @example
 * const reader = new UnionReader({ catalogue, location, namespace: ["todos"],
 *   source: httpSource({ url, gatewayId: "todos", token: adminToken }) });
 * const todos = await reader.read("todos");
 * if (todos.ok) console.log(todos.value.rows.size, "rows,", todos.value.pendingDeltas, "unflushed");
 */
import {
  type Catalogue,
  currentSnapshot,
  type LakeLocation,
  lakeTables,
  type Namespace,
  readLakeRowStates,
} from "@lakesync/catalogue";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  Err,
  type HLCTimestamp,
  type LakeSyncError,
  materialiseRow,
  Ok,
  type Result,
  type Row,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import { AnalystError } from "../errors.js";
import { schemaWithDeltas } from "./delta-schema.js";
import { flushedThrough, namespaceFlushedThrough } from "./flushed-through.js";
import { logHorizon } from "./log-horizon.js";
import type { PendingDeltaSource } from "./pull-page.js";

/** What a {@link UnionReader} reads. */
export interface UnionReaderOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
  /** The gateway's log: `inProcessSource(gateway)` or `httpSource({...})`. */
  readonly source: PendingDeltaSource;
  /** Deltas per pull page (default 5000). */
  readonly pageSize?: number;
}

/** A table read through the union. */
export interface UnionTable {
  /** The lake snapshot's schema, grown by columns only the unflushed deltas have. */
  readonly schema: TableSchema;
  /** Row id → live row (every column of `schema`, null where absent). */
  readonly rows: ReadonlyMap<string, Row>;
  /** Row id → merge state, tombstoned rows included. */
  readonly states: ReadonlyMap<string, RowState>;
  /** The lake snapshot of `ns.T` read; `undefined` before the table's first flush. */
  readonly lakeSnapshotId: number | undefined;
  /** The gateway sequence number the lake snapshot holds the table's log through. */
  readonly flushedThrough: HLCTimestamp;
  /** Deltas of the table pulled from the gateway after `flushedThrough`. */
  readonly pendingDeltas: number;
  /** The gateway's cursor after the last page: the union is exact as of it. */
  readonly serverHlc: HLCTimestamp;
}

const ATTEMPTS = 3;

/** Reads tables as the lake plus the gateway's unflushed deltas (see the module comment). */
export class UnionReader {
  readonly #options: UnionReaderOptions;

  constructor(options: UnionReaderOptions) {
    this.#options = options;
  }

  /**
   * The union of `table`. `Err`: `PULL_FILTERED` (the source's pulls are filtered by sync
   * rules), `GATEWAY_UNAVAILABLE`, the catalogue's and the lake readers' errors. A gateway that
   * trimmed its log past the lake snapshot just read (a flush landed meanwhile) is retried with
   * the newer snapshot; one that trimmed only other tables' flushed entries past the table's last
   * flush (or a table never flushed) is read from its log's horizon.
   */
  async read(table: string): Promise<Result<UnionTable, LakeSyncError>> {
    const complete = await this.#options.source.checkComplete();
    if (!complete.ok) return complete;
    let last: LakeSyncError | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const read = await this.#readOnce(table);
      if (read.ok || read.error.code !== "CURSOR_EXPIRED") return read;
      last = read.error;
    }
    return Err(
      new AnalystError(
        "GATEWAY_UNAVAILABLE",
        `the gateway's log moved past the lake ${ATTEMPTS} times: ${last?.message ?? ""}`,
        { cause: last },
      ),
    );
  }

  async #readOnce(table: string): Promise<Result<UnionTable, LakeSyncError>> {
    const { catalogue, location, namespace, source } = this.#options;
    const loaded = await catalogue.loadTable(lakeTables(namespace, table).main);
    let states = new Map<string, RowState>();
    let schema: TableSchema = { table, columns: [] };
    let lakeSnapshotId: number | undefined;
    let through = 0n as HLCTimestamp;
    if (loaded.ok) {
      // The cursor comes from the same metadata as the snapshot read, so no flush in between
      // can make the union skip deltas.
      const snapshot = currentSnapshot(loaded.value.metadata);
      through = flushedThrough(loaded.value.metadata, snapshot, source.gatewayId);
      if (snapshot) {
        const read = await readLakeRowStates({
          catalogue,
          location,
          namespace,
          table,
          snapshotId: snapshot["snapshot-id"],
        });
        if (!read.ok) return read;
        states = new Map(read.value.states);
        schema = read.value.schema;
        lakeSnapshotId = read.value.snapshotId;
      }
    } else if (loaded.error.code !== "NO_SUCH_TABLE" && loaded.error.code !== "NO_SUCH_NAMESPACE") {
      return loaded;
    }
    const covered = async (horizon: HLCTimestamp) => {
      const now = await catalogue.loadTable(lakeTables(namespace, table).main);
      const id = now.ok ? currentSnapshot(now.value.metadata)?.["snapshot-id"] : undefined;
      if (id !== lakeSnapshotId) return false;
      const lake = await namespaceFlushedThrough(catalogue, namespace, source.gatewayId);
      return lake.ok && lake.value >= horizon;
    };
    const pending = await this.#pull(table, through, states, covered);
    if (!pending.ok) return pending;
    schema = schemaWithDeltas(schema, pending.value.columns);
    const rows = new Map<string, Row>();
    for (const [rowId, state] of states) {
      const row = materialiseRow(state);
      if (row === null) continue;
      const full: Record<string, Row[string]> = {};
      for (const column of schema.columns)
        full[column.name] = Object.hasOwn(row, column.name) ? (row[column.name] ?? null) : null;
      rows.set(rowId, full);
    }
    return Ok({
      schema,
      rows,
      states,
      lakeSnapshotId,
      flushedThrough: through,
      pendingDeltas: pending.value.count,
      serverHlc: pending.value.cursor,
    });
  }

  /**
   * Pulls every page after `since` and folds the deltas of `table` into `states`. When the
   * gateway's log no longer reaches back to `since`, it trimmed flushed entries only (of other
   * tables, since a flush of `table` would be in the snapshot read): when the lake still
   * `covered` them (the snapshot read is current and holds the trimmed log), the pull starts
   * from the log's horizon instead.
   */
  async #pull(
    table: string,
    since: HLCTimestamp,
    states: Map<string, RowState>,
    covered: (horizon: HLCTimestamp) => Promise<boolean>,
  ): Promise<
    Result<{ count: number; cursor: HLCTimestamp; columns: Map<string, unknown[]> }, LakeSyncError>
  > {
    const columns = new Map<string, unknown[]>();
    let cursor = since;
    let count = 0;
    const { source } = this.#options;
    for (let first = true; ; first = false) {
      let page = await source.pull(cursor, this.#options.pageSize ?? 5000);
      if (!page.ok && first && source.rawLog === true && page.error.code === "CURSOR_EXPIRED") {
        const horizon = await logHorizon(source, cursor);
        if (!horizon.ok) return horizon;
        // Not covered: a flush of the table landed since the lake read (the caller reads the
        // new snapshot), or the lake does not hold what the gateway trimmed (an Err stays).
        if (!(await covered(horizon.value))) return page;
        cursor = horizon.value;
        page = await source.pull(cursor, this.#options.pageSize ?? 5000);
      }
      if (!page.ok) return page;
      for (const delta of page.value.deltas) {
        if (delta.table !== table) continue;
        count++;
        states.set(delta.rowId, applyToRowState(states.get(delta.rowId) ?? EMPTY_ROW_STATE, delta));
        for (const c of delta.columns) {
          const seen = columns.get(c.column) ?? [];
          if (seen.length < 8) seen.push(c.value);
          columns.set(c.column, seen);
        }
      }
      for (const gone of page.value.evicted ?? [])
        if (gone.table === table) states.delete(gone.rowId);
      if (page.value.serverHlc <= cursor && page.value.hasMore)
        return Err(
          new AnalystError("GATEWAY_UNAVAILABLE", "the gateway's pull cursor did not advance"),
        );
      cursor = page.value.serverHlc > cursor ? page.value.serverHlc : cursor;
      if (!page.value.hasMore) return Ok({ count, cursor, columns });
    }
  }
}
