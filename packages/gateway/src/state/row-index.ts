/**
 * @module state/row-index
 * The gateway's merged view of every row: one last-writer-wins state per (table, row id).
 */
import {
  applyToRowState,
  type ColumnValue,
  EMPTY_ROW_STATE,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  setOwn,
} from "@lakesync/core";

/**
 * Row states by table, then row id, with O(1) lookup. Nested maps rather than one map of
 * composite keys: the row id strings are shared with the deltas, so a row costs no extra key.
 * Applying a delta reports whether it changed anything, so obsolete deltas (every column
 * already newer) need not be logged again.
 */
export class RowIndex {
  readonly #tables = new Map<string, Map<string, RowState>>();
  #size = 0;

  /** Number of rows ever written (including deleted ones). */
  get size(): number {
    return this.#size;
  }

  /** Folds a delta into its row; true when the row's state changed. */
  apply(delta: RowDelta): boolean {
    const before = this.get(delta.table, delta.rowId) ?? EMPTY_ROW_STATE;
    const after = applyToRowState(before, delta);
    if (after === before) return false;
    this.set(delta.table, delta.rowId, after);
    return true;
  }

  /** The merged state of a row, if it was ever written. */
  get(table: string, rowId: string): RowState | undefined {
    return this.#tables.get(table)?.get(rowId);
  }

  /** Replaces the state of a row. */
  set(table: string, rowId: string, state: RowState): void {
    let rows = this.#tables.get(table);
    if (!rows) {
      rows = new Map();
      this.#tables.set(table, rows);
    }
    if (!rows.has(rowId)) this.#size++;
    rows.set(rowId, state);
  }

  /** The row an application sees, or `null` when it is absent or deleted. */
  row(table: string, rowId: string): Row | null {
    const state = this.get(table, rowId);
    return state ? materialiseRow(state) : null;
  }

  /**
   * The last value written to each column of a row, ignoring any DELETE: what sync rules judge
   * a row by, so the deletion of a row a client could see reaches that client.
   */
  values(table: string, rowId: string): Row | null {
    const state = this.get(table, rowId);
    if (!state) return null;
    const row: Record<string, ColumnValue> = {};
    for (const [name, cell] of Object.entries(state.columns)) setOwn(row, name, cell.value);
    return row;
  }

  /** Every row state with its table and id, table by table. */
  *entries(): IterableIterator<{ table: string; rowId: string; state: RowState }> {
    for (const [table, rows] of this.#tables)
      for (const [rowId, state] of rows) yield { table, rowId, state };
  }
}
