/**
 * @module store/sql/row-cache
 * A bounded cache of row states (and of rows known to be absent), by table then row id.
 */
import type { RowState } from "@lakesync/core";

type Generation = Map<string, Map<string, RowState | null>>;

/**
 * Two generations: entries live in the young one; when it holds half the capacity it becomes
 * the old one and the previous old one is dropped; a hit in the old generation moves the entry
 * back to the young one. An approximation of least-recently-used at a constant cost per call,
 * with no composite key strings (nested maps reuse the deltas' table and row id strings).
 */
export class RowCache {
  readonly #half: number;
  #young: Generation = new Map();
  #old: Generation = new Map();
  #youngSize = 0;
  #oldSize = 0;

  constructor(capacity: number) {
    this.#half = Math.max(1, Math.floor(capacity / 2));
  }

  /** Entries held (at most the capacity). */
  get size(): number {
    return this.#youngSize + this.#oldSize;
  }

  /** The cached state, `null` for a row known to be absent, `undefined` when not cached. */
  get(table: string, rowId: string): RowState | null | undefined {
    const young = this.#young.get(table)?.get(rowId);
    if (young !== undefined) return young;
    const rows = this.#old.get(table);
    const old = rows?.get(rowId);
    if (old === undefined || !rows) return undefined;
    rows.delete(rowId);
    this.#oldSize--;
    this.set(table, rowId, old);
    return old;
  }

  /** True when the row's state (or its absence) is cached. */
  has(table: string, rowId: string): boolean {
    return this.#young.get(table)?.has(rowId) === true || this.#old.get(table)?.has(rowId) === true;
  }

  /** Caches a state (`null`: the row is absent). */
  set(table: string, rowId: string, state: RowState | null): void {
    let rows = this.#young.get(table);
    if (!rows) {
      rows = new Map();
      this.#young.set(table, rows);
    }
    const had = rows.has(rowId);
    rows.set(rowId, state);
    if (had) return;
    const old = this.#old.get(table);
    if (old?.delete(rowId)) this.#oldSize--;
    if (++this.#youngSize < this.#half) return;
    this.#old = this.#young;
    this.#oldSize = this.#youngSize;
    this.#young = new Map();
    this.#youngSize = 0;
  }

  /** Forgets everything. */
  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
    this.#youngSize = 0;
    this.#oldSize = 0;
  }
}
