/**
 * @module lakesync/read-lake
 * Reading a synced table back from the lake layout, for the compactor, the analyst and
 * checkpoints (runtime-neutral): its live rows as `ns.T` holds them, or every row's exact merge
 * state (`RowState`, tombstones and per-column stamps included) from `ns.T` joined with
 * `ns._lakesync_state_T`. Either at the current snapshot, a snapshot id or a moment.
 *
 * @example
 * const table = await readLakeTable({ catalogue, location, namespace: ["gw"], table: "todos" });
 * if (table.ok) for (const [rowId, row] of table.value.rows) console.log(rowId, row);
 */
import {
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type RowState,
  setOwn,
  type TableSchema,
} from "@lakesync/core";
import type { Compressors } from "hyparquet";
import type { Catalogue, Namespace } from "../catalogue/catalogue.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { decodeCell } from "./cell-codec.js";
import { icebergToTableSchema } from "./column-mapping.js";
import { lakeTables, ROW_ID_COLUMN } from "./layout.js";
import { rowStateOf } from "./row-state-rows.js";
import { readSnapshotRows, type SnapshotRows } from "./snapshot-rows.js";
import { pairedStateSnapshot } from "./state-pairing.js";

/** Which synced table to read, and at which snapshot of `ns.T` (default: the current one). */
export interface LakeReadOptions {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
  /** The synced table's name (`T`). */
  readonly table: string;
  readonly snapshotId?: number;
  /** Epoch ms: the snapshot of `ns.T` that was current then. */
  readonly asOfTimestampMs?: number;
  /** hyparquet codecs beyond snappy (zstd files need one). */
  readonly compressors?: Compressors;
}

/** A synced table's live rows at one snapshot. */
export interface LakeTable {
  /** The columns of the snapshot's schema, typed. */
  readonly schema: TableSchema;
  /** The snapshot of `ns.T` read; `undefined` when it has none. */
  readonly snapshotId: number | undefined;
  /** Row id → every column of the schema (null where the row has no value). */
  readonly rows: ReadonlyMap<string, Row>;
}

/** Every row's merge state at one snapshot. */
export interface LakeRowStates {
  readonly schema: TableSchema;
  readonly snapshotId: number | undefined;
  /** The snapshot of `ns._lakesync_state_T` paired with it (see `pairedStateSnapshot`). */
  readonly stateSnapshotId: number | undefined;
  /** Row id → state, for every row ever flushed (tombstoned ones included). */
  readonly states: ReadonlyMap<string, RowState>;
}

function decodeRows(
  table: string,
  read: SnapshotRows,
): { schema: TableSchema; rows: Map<string, Row> } {
  const schema = icebergToTableSchema(table, read.schema);
  const rows = new Map<string, Row>();
  for (const stored of read.rows) {
    const rowId = stored[ROW_ID_COLUMN];
    if (typeof rowId !== "string") continue;
    const row: Record<string, Row[string]> = {};
    for (const column of schema.columns)
      setOwn(row, column.name, decodeCell(column.type, stored[column.name]));
    rows.set(rowId, row);
  }
  return { schema, rows };
}

const at = (options: LakeReadOptions) => ({
  ...(options.snapshotId === undefined ? {} : { snapshotId: options.snapshotId }),
  ...(options.asOfTimestampMs === undefined ? {} : { asOfTimestampMs: options.asOfTimestampMs }),
  ...(options.compressors ? { compressors: options.compressors } : {}),
});

/**
 * The live rows of synced table `options.table` (`ns.T`) at the chosen snapshot, with equality
 * deletes applied by sequence number. `Err`: the catalogue's (`NO_SUCH_TABLE` before the first
 * flush); `INVALID_INPUT` for an unknown snapshot, a time before the first, or an unreadable
 * file; `CATALOGUE_UNAVAILABLE` when a file cannot be fetched.
 */
export async function readLakeTable(
  options: LakeReadOptions,
): Promise<Result<LakeTable, LakeSyncError>> {
  const { main } = lakeTables(options.namespace, options.table);
  const loaded = await options.catalogue.loadTable(main);
  if (!loaded.ok) return loaded;
  const read = await readSnapshotRows(options.location, loaded.value.metadata, at(options));
  if (!read.ok) return read;
  return Ok({
    ...decodeRows(options.table, read.value),
    snapshotId: read.value.snapshot?.["snapshot-id"],
  });
}

/**
 * Every flushed row's exact merge state at the chosen snapshot of `ns.T`: per-column stamps and
 * tombstones from the paired snapshot of `ns._lakesync_state_T`, visible values from `ns.T`
 * (values hidden by a tombstone are null; see ADR-014). Errors as {@link readLakeTable}, plus
 * `INVALID_INPUT` for a malformed state row.
 */
export async function readLakeRowStates(
  options: LakeReadOptions,
): Promise<Result<LakeRowStates, LakeSyncError>> {
  const ids = lakeTables(options.namespace, options.table);
  const main = await options.catalogue.loadTable(ids.main);
  if (!main.ok) return main;
  const read = await readSnapshotRows(options.location, main.value.metadata, at(options));
  if (!read.ok) return read;
  const { schema, rows } = decodeRows(options.table, read.value);
  const snapshotId = read.value.snapshot?.["snapshot-id"];
  const states = new Map<string, RowState>();
  const stateTable = await options.catalogue.loadTable(ids.state);
  if (!stateTable.ok) {
    if (stateTable.error.code !== "NO_SUCH_TABLE") return stateTable;
    return Ok({ schema, snapshotId, stateSnapshotId: undefined, states });
  }
  const paired = pairedStateSnapshot(
    main.value.metadata,
    read.value.snapshot,
    stateTable.value.metadata,
  );
  if (!paired) return Ok({ schema, snapshotId, stateSnapshotId: undefined, states });
  const stateRows = await readSnapshotRows(options.location, stateTable.value.metadata, {
    snapshotId: paired["snapshot-id"],
    ...(options.compressors ? { compressors: options.compressors } : {}),
  });
  if (!stateRows.ok) return stateRows;
  for (const stored of stateRows.value.rows) {
    const values = typeof stored.row_id === "string" ? rows.get(stored.row_id) : undefined;
    const joined = rowStateOf(stored, values);
    if (!joined.ok) return joined;
    states.set(joined.value.rowId, joined.value.state);
  }
  return Ok({ schema, snapshotId, stateSnapshotId: paired["snapshot-id"], states });
}
