/**
 * @module push/row-overlay
 * Row states changed by a group of pushes before they are durable: read through to what lies
 * beneath, written only to the overlay until committed.
 */
import { EMPTY_ROW_STATE, type RowState } from "@lakesync/core";

/** Where an overlay reads the states it has not changed. */
export interface RowStates {
  get(table: string, rowId: string): RowState | undefined;
}

/**
 * Changed row states by table and row id (nested maps: no composite key strings on the hot
 * path). Reads fall through to `below`; nothing reaches it until {@link RowOverlay.commit}.
 */
export class RowOverlay implements RowStates {
  readonly #below: RowStates;
  readonly #tables = new Map<string, Map<string, RowState>>();

  constructor(below: RowStates) {
    this.#below = below;
  }

  /** The row's state as changed here, else as below, else empty. */
  get(table: string, rowId: string): RowState {
    return this.#tables.get(table)?.get(rowId) ?? this.#below.get(table, rowId) ?? EMPTY_ROW_STATE;
  }

  /** Records a changed state. */
  set(table: string, rowId: string, state: RowState): void {
    let rows = this.#tables.get(table);
    if (!rows) {
      rows = new Map();
      this.#tables.set(table, rows);
    }
    rows.set(rowId, state);
  }

  /** Writes every changed state to `target`. */
  commit(target: { set(table: string, rowId: string, state: RowState): void }): void {
    for (const [table, rows] of this.#tables)
      for (const [rowId, state] of rows) target.set(table, rowId, state);
  }
}
