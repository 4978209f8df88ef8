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
  type RowKey,
  type RowState,
  rowKey,
  setOwn,
} from "@lakesync/core";

/**
 * Row states keyed by {@link RowKey}, with O(1) lookup. Applying a delta reports whether it
 * changed anything, so obsolete deltas (every column already newer) need not be logged again.
 */
export class RowIndex {
  readonly #rows = new Map<RowKey, RowState>();

  /** Number of rows ever written (including deleted ones). */
  get size(): number {
    return this.#rows.size;
  }

  /** Folds a delta into its row; true when the row's state changed. */
  apply(delta: RowDelta): boolean {
    const key = rowKey(delta.table, delta.rowId);
    const before = this.#rows.get(key) ?? EMPTY_ROW_STATE;
    const after = applyToRowState(before, delta);
    if (after === before) return false;
    this.#rows.set(key, after);
    return true;
  }

  /** The state stored under a key, if any. */
  get(key: RowKey): RowState | undefined {
    return this.#rows.get(key);
  }

  /** Replaces the state stored under a key. */
  set(key: RowKey, state: RowState): void {
    this.#rows.set(key, state);
  }

  /**
   * The last value written to each column of a row, ignoring any DELETE: what sync rules judge
   * a row by, so the deletion of a row a client could see reaches that client.
   */
  values(table: string, rowId: string): Row | null {
    const state = this.#rows.get(rowKey(table, rowId));
    if (!state) return null;
    const row: Record<string, ColumnValue> = {};
    for (const [name, cell] of Object.entries(state.columns)) setOwn(row, name, cell.value);
    return row;
  }

  /** The merged state of a row, if it was ever written. */
  state(table: string, rowId: string): RowState | undefined {
    return this.#rows.get(rowKey(table, rowId));
  }

  /** The row an application sees, or `null` when it is absent or deleted. */
  row(table: string, rowId: string): Row | null {
    const state = this.#rows.get(rowKey(table, rowId));
    return state ? materialiseRow(state) : null;
  }

  /** Every row state with its table and id, in insertion order. */
  *entries(): IterableIterator<{ table: string; rowId: string; state: RowState }> {
    for (const [key, state] of this.#rows) {
      const colon = key.indexOf(":");
      const length = Number(key.slice(0, colon));
      const table = key.slice(colon + 1, colon + 1 + length);
      yield { table, rowId: key.slice(colon + 2 + length), state };
    }
  }
}
