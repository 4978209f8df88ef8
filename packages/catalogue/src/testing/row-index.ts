/**
 * @module testing/row-index
 * A gateway in miniature for tests of code that reads or writes the lake (the catalogue's, the
 * compactor's, users' own): deltas with their ids, each row's merged state by core's merge, the
 * log of the deltas that changed something with increasing sequence numbers, the unflushed
 * buffer cut into `LakeSyncBatch`es, and the rows and states the lake should then hold.
 */
import {
  applyToRowState,
  type ColumnDelta,
  compareWrites,
  type DeltaOp,
  deltaId,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  materialiseRow,
  Ok,
  type Row,
  type RowDelta,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import type { LakeSyncBatch, LakeSyncLogEntry } from "../lakesync/lake-batch.js";

/** A delta with its id computed. */
export function delta(
  op: DeltaOp,
  table: string,
  rowId: string,
  clientId: string,
  hlc: bigint,
  columns: readonly ColumnDelta[] = [],
): RowDelta {
  const stamp = hlc as HLCTimestamp;
  return {
    op,
    table,
    rowId,
    clientId,
    hlc: stamp,
    columns,
    deltaId: deltaId({ clientId, hlc: stamp, table, rowId, columns }),
  };
}

/**
 * What a gateway holds, in miniature: per table, each row's merged state (core's merge), the log
 * of the deltas that changed something (with increasing sequence numbers) and the unflushed
 * buffer.
 */
export class RowIndex {
  readonly states = new Map<string, Map<string, RowState>>();
  readonly buffered = new Map<string, LakeSyncLogEntry[]>();
  #seq: bigint;

  constructor(
    readonly gatewayId = "gw",
    readonly schemas: ReadonlyMap<string, TableSchema> = new Map(),
    firstSeq = 1_000_000n << 16n,
  ) {
    this.#seq = firstSeq;
  }

  /** Merges `d`; logs and buffers it when it changed the row. */
  apply(d: RowDelta): boolean {
    const rows = this.states.get(d.table) ?? new Map<string, RowState>();
    this.states.set(d.table, rows);
    const before = rows.get(d.rowId) ?? EMPTY_ROW_STATE;
    const after = applyToRowState(before, d);
    if (after === before) return false;
    rows.set(d.rowId, after);
    const buffer = this.buffered.get(d.table) ?? [];
    buffer.push({ seq: this.#seq++ as HLCTimestamp, delta: d });
    this.buffered.set(d.table, buffer);
    return true;
  }

  /** The highest sequence number handed out so far. */
  get lastSeq(): HLCTimestamp {
    return (this.#seq - 1n) as HLCTimestamp;
  }

  /** The merged state of one row, if it was ever written. */
  state(table: string, rowId: string): RowState | undefined {
    return this.states.get(table)?.get(rowId);
  }

  /** Takes the first `count` buffered entries of `table` as a batch (all by default). */
  take(table: string, count = Number.POSITIVE_INFINITY): LakeSyncBatch | undefined {
    const buffer = this.buffered.get(table) ?? [];
    const entries = buffer.splice(0, Math.min(count, buffer.length));
    if (entries.length === 0) return undefined;
    return this.batchOf(table, entries);
  }

  /** A batch of `entries`, answering `rowStates` from the index at the time of the call. */
  batchOf(table: string, entries: readonly LakeSyncLogEntry[]): LakeSyncBatch {
    const first = entries[0] as LakeSyncLogEntry;
    const last = entries[entries.length - 1] as LakeSyncLogEntry;
    return {
      gatewayId: this.gatewayId,
      table,
      schema: this.schemas.get(table),
      entries,
      range: { min: first.seq, max: last.seq },
      at: new Date(0),
      rowStates: async (rowIds) => {
        const out = new Map<string, RowState>();
        for (const rowId of rowIds) {
          const state = this.state(table, rowId);
          if (state) out.set(rowId, state);
        }
        return Ok(out);
      },
    };
  }
}

/** `state` with the values of cells hidden by its tombstone set to null (the lake drops them). */
export function withHiddenValuesNulled(state: RowState): RowState {
  const { deleted } = state;
  if (!deleted) return state;
  const columns = Object.fromEntries(
    Object.entries(state.columns).map(([name, cell]) => [
      name,
      compareWrites(cell, deleted) <= 0 ? { ...cell, value: null } : cell,
    ]),
  );
  return { columns, deleted };
}

/** The row `ns.T` holds for `state`: every column of `schema`, null where absent; or null. */
export function expectedRow(state: RowState, schema: TableSchema): Row | null {
  const row = materialiseRow(state);
  if (row === null) return null;
  return Object.fromEntries(
    schema.columns.map((c) => [c.name, Object.hasOwn(row, c.name) ? (row[c.name] ?? null) : null]),
  );
}

/** The rows `ns.T` should hold for a row index's states of one table (deleted rows left out). */
export function expectedRows(
  states: ReadonlyMap<string, RowState> | undefined,
  schema: TableSchema,
): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const [rowId, state] of states ?? []) {
    const row = expectedRow(state, schema);
    if (row !== null) out.set(rowId, row);
  }
  return out;
}

/** The expected states as `readLakeRowStates` returns them (hidden values nulled). */
export function expectedStates(
  states: ReadonlyMap<string, RowState> | undefined,
): Map<string, RowState> {
  return new Map([...(states ?? [])].map(([id, s]) => [id, withHiddenValuesNulled(s)]));
}
