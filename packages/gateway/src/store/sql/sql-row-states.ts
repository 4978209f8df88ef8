/**
 * @module store/sql/sql-row-states
 * Row states in the SQL store, read through a bounded cache: the gateway's memory holds at most
 * `cacheRows` states, however many rows exist.
 */
import { LakeSyncError, type RowState } from "@lakesync/core";
import type { RowStates, ScannedRow } from "../../state/row-states.js";
import { RowCache } from "./row-cache.js";
import { decodeRowState } from "./row-state-json.js";
import { MAX_SQL_PARAMS, type SqlDriver } from "./sql-driver.js";

/** The default number of row states kept in memory. */
export const DEFAULT_ROW_CACHE = 20_000;

/** Ids looked up per statement (one parameter is the table). */
const IDS_PER_QUERY = MAX_SQL_PARAMS - 4;

function decode(text: unknown): RowState {
  if (typeof text !== "string")
    throw new LakeSyncError("STORE_CORRUPT", "a stored row state is not text");
  const state = decodeRowState(text);
  if (!state.ok) throw state.error;
  return state.value;
}

/** A scanned row whose state is decoded only if read; its size is judged from the stored text. */
function lazyRow(rowId: string, text: unknown): ScannedRow {
  let state: RowState | undefined;
  return {
    rowId,
    bytes: 100 + rowId.length + (typeof text === "string" ? text.length : 0),
    get state() {
      state ??= decode(text);
      return state;
    },
  };
}

/**
 * The `lakesync_row_states` table behind a least-recently-used cache of states (and of rows
 * known to be absent). States are written by the store with the log entries that changed them,
 * in one transaction; {@link SqlRowStates.set} then only refreshes the cache. Reads throw on a
 * storage failure: the push pipeline turns that into `STORE_UNAVAILABLE`.
 */
export class SqlRowStates implements RowStates {
  readonly #sql: SqlDriver;
  readonly #capacity: number;
  readonly #cache: RowCache;
  #size: number;

  constructor(sql: SqlDriver, size: number, capacity = DEFAULT_ROW_CACHE) {
    this.#sql = sql;
    this.#size = size;
    this.#capacity = Math.max(2, capacity);
    this.#cache = new RowCache(this.#capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** States currently cached (for the memory benchmark and tests). */
  get cached(): number {
    return this.#cache.size;
  }

  get(table: string, rowId: string): RowState | undefined {
    const hit = this.#cache.get(table, rowId);
    if (hit !== undefined) return hit ?? undefined;
    const rows = this.#sql.exec(
      "SELECT state FROM lakesync_row_states WHERE tbl = ? AND row_id = ?",
      table,
      rowId,
    );
    const state = rows[0] ? decode(rows[0].state) : null;
    this.#cache.set(table, rowId, state);
    return state ?? undefined;
  }

  set(table: string, rowId: string, state: RowState, isNew: boolean): void {
    if (isNew) this.#size++;
    this.#cache.set(table, rowId, state);
  }

  warm(keys: Iterable<readonly [table: string, rowId: string]>): void {
    const missing = new Map<string, Set<string>>();
    let wanted = 0;
    for (const [table, rowId] of keys) {
      if (2 * wanted >= this.#capacity) break;
      if (this.#cache.has(table, rowId)) continue;
      let ids = missing.get(table);
      if (!ids) {
        ids = new Set();
        missing.set(table, ids);
      }
      if (!ids.has(rowId)) {
        ids.add(rowId);
        wanted++;
      }
    }
    for (const [table, ids] of missing) {
      const list = [...ids];
      for (let i = 0; i < list.length; i += IDS_PER_QUERY) {
        const part = list.slice(i, i + IDS_PER_QUERY);
        const found = new Set<string>();
        for (const row of this.#sql.exec(
          `SELECT row_id, state FROM lakesync_row_states WHERE tbl = ? AND row_id IN (${part.map(() => "?").join(",")})`,
          table,
          ...part,
        )) {
          const rowId = String(row.row_id);
          found.add(rowId);
          this.#cache.set(table, rowId, decode(row.state));
        }
        for (const rowId of part) if (!found.has(rowId)) this.#cache.set(table, rowId, null);
      }
    }
  }

  tables(): string[] {
    return this.#sql
      .exec("SELECT DISTINCT tbl FROM lakesync_row_states ORDER BY tbl")
      .map((r) => String(r.tbl));
  }

  scan(table: string, after: string | undefined, limit: number): ScannedRow[] {
    const rows =
      after === undefined
        ? this.#sql.exec(
            "SELECT row_id, state FROM lakesync_row_states WHERE tbl = ? ORDER BY row_id LIMIT ?",
            table,
            limit,
          )
        : this.#sql.exec(
            "SELECT row_id, state FROM lakesync_row_states WHERE tbl = ? AND row_id > ? ORDER BY row_id LIMIT ?",
            table,
            after,
            limit,
          );
    return rows.map((r) => lazyRow(String(r.row_id), r.state));
  }

  /** Forgets every cached state (after a transaction that did not commit). */
  forget(): void {
    this.#cache.clear();
  }
}
