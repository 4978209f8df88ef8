/**
 * @module state/row-states
 * The contract of the gateway's merged row states, whichever way they are held: all in memory
 * (`RowIndex`), or in the durable store behind a bounded cache (`SqlRowStates`).
 */
import type { RowState } from "@lakesync/core";

/** A row's state with its id, as scans return it. */
export interface ScannedRow {
  readonly rowId: string;
  /** The merged state (a store may decode it only when read). */
  readonly state: RowState;
  /** About how many bytes the row takes as checkpoint deltas. */
  readonly bytes: number;
}

/**
 * One last-writer-wins state per (table, row id). `get` and `scan` are synchronous (both durable
 * hosts have synchronous SQLite); `set` records a state the store has already made durable (or,
 * in memory, the state itself).
 */
export interface RowStates {
  /** Rows ever written (deleted ones included). */
  readonly size: number;
  /** The merged state of a row, if it was ever written. */
  get(table: string, rowId: string): RowState | undefined;
  /** Records a row's state; `isNew` when the row had none before. */
  set(table: string, rowId: string, state: RowState, isNew: boolean): void;
  /** Loads the states of these rows in bulk ahead of a merge (a no-op in memory). */
  warm(keys: Iterable<readonly [table: string, rowId: string]>): void;
  /** The tables that hold rows, sorted. */
  tables(): string[];
  /** Up to `limit` rows of `table` with ids after `after` (all when undefined), in id order. */
  scan(table: string, after: string | undefined, limit: number): ScannedRow[];
}
