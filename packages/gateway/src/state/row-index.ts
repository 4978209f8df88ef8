/**
 * @module state/row-index
 * The gateway's merged view of every row held in memory: for tests, ephemeral gateways and
 * stores that replay their log on open.
 */
import { applyToRowState, EMPTY_ROW_STATE, type RowDelta, type RowState } from "@lakesync/core";
import type { RowStates, ScannedRow } from "./row-states.js";
import { stateBytes } from "./state-bytes.js";

/**
 * Row states by table, then row id, with O(1) lookup. Nested maps rather than one map of
 * composite keys: the row id strings are shared with the deltas, so a row costs no extra key.
 * Scans sort a table's ids once and keep the order until a row is added to it.
 */
export class RowIndex implements RowStates {
  readonly #tables = new Map<string, Map<string, RowState>>();
  readonly #sorted = new Map<string, string[]>();
  #size = 0;

  /** Number of rows ever written (including deleted ones). */
  get size(): number {
    return this.#size;
  }

  /** Folds a delta into its row; true when the row's state changed. */
  apply(delta: RowDelta): boolean {
    const current = this.get(delta.table, delta.rowId);
    const before = current ?? EMPTY_ROW_STATE;
    const after = applyToRowState(before, delta);
    if (after === before) return false;
    this.set(delta.table, delta.rowId, after, current === undefined);
    return true;
  }

  get(table: string, rowId: string): RowState | undefined {
    return this.#tables.get(table)?.get(rowId);
  }

  set(table: string, rowId: string, state: RowState, _isNew?: boolean): void {
    let rows = this.#tables.get(table);
    if (!rows) {
      rows = new Map();
      this.#tables.set(table, rows);
    }
    if (!rows.has(rowId)) {
      this.#size++;
      this.#sorted.delete(table);
    }
    rows.set(rowId, state);
  }

  warm(): void {}

  tables(): string[] {
    return [...this.#tables.keys()].sort();
  }

  scan(table: string, after: string | undefined, limit: number): ScannedRow[] {
    const rows = this.#tables.get(table);
    if (!rows) return [];
    let ids = this.#sorted.get(table);
    if (!ids) {
      ids = [...rows.keys()].sort();
      this.#sorted.set(table, ids);
    }
    let lo = 0;
    let hi = ids.length;
    if (after !== undefined)
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((ids[mid] as string) <= after) lo = mid + 1;
        else hi = mid;
      }
    const out: ScannedRow[] = [];
    for (let i = lo; i < ids.length && out.length < limit; i++) {
      const rowId = ids[i] as string;
      const state = rows.get(rowId);
      if (state) out.push({ rowId, state, bytes: stateBytes(table, rowId, state) });
    }
    return out;
  }

  /** Every row state with its table and id, table by table. */
  *entries(): IterableIterator<{ table: string; rowId: string; state: RowState }> {
    for (const [table, rows] of this.#tables)
      for (const [rowId, state] of rows) yield { table, rowId, state };
  }
}
