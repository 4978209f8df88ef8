/**
 * @module push/row-overlay
 * Row states changed by a group of pushes before they are durable: read through to what lies
 * beneath, written only to the overlay until committed.
 */
import { EMPTY_ROW_STATE, type RowState } from "@lakesync/core";

/** Where an overlay reads the states it has not changed. */
export interface RowStateSource {
  get(table: string, rowId: string): RowState | undefined;
}

/** A changed row: its new state, and whether it had none before the overlay. */
export interface RowChange {
  readonly table: string;
  readonly rowId: string;
  readonly state: RowState;
  readonly isNew: boolean;
}

interface Slot {
  state: RowState;
  readonly isNew: boolean;
}

/**
 * Changed row states by table and row id (nested maps: no composite key strings on the hot
 * path). Reads fall through to `below`; nothing reaches it until {@link RowOverlay.commit}.
 */
export class RowOverlay implements RowStateSource {
  readonly #below: RowStateSource;
  readonly #tables = new Map<string, Map<string, Slot>>();

  constructor(below: RowStateSource) {
    this.#below = below;
  }

  /** The row's state as changed here, else as below, else empty. */
  get(table: string, rowId: string): RowState {
    return (
      this.#tables.get(table)?.get(rowId)?.state ?? this.#below.get(table, rowId) ?? EMPTY_ROW_STATE
    );
  }

  /** Records a changed state. */
  set(table: string, rowId: string, state: RowState): void {
    let rows = this.#tables.get(table);
    if (!rows) {
      rows = new Map();
      this.#tables.set(table, rows);
    }
    const slot = rows.get(rowId);
    if (slot) slot.state = state;
    else rows.set(rowId, { state, isNew: this.#isNewBelow(table, rowId) });
  }

  /** Every changed row, table by table. */
  *changes(): IterableIterator<RowChange> {
    for (const [table, rows] of this.#tables)
      for (const [rowId, slot] of rows)
        yield { table, rowId, state: slot.state, isNew: slot.isNew };
  }

  /** Writes every changed state to `target` (another overlay, or the row states). */
  commit(target: {
    set(table: string, rowId: string, state: RowState, isNew: boolean): void;
  }): void {
    for (const change of this.changes())
      target.set(change.table, change.rowId, change.state, change.isNew);
  }

  #isNewBelow(table: string, rowId: string): boolean {
    const below = this.#below;
    if (below instanceof RowOverlay)
      return below.#tables.get(table)?.get(rowId)?.isNew ?? below.#isNewBelow(table, rowId);
    return below.get(table, rowId) === undefined;
  }
}
