/**
 * @module sync-rules/filter
 * Deciding which deltas a client may receive.
 */
import { columnValuesEqual } from "../delta/json-value.js";
import type { ColumnValue, Row, RowDelta } from "../delta/types.js";
import {
  CLAIM_PREFIX,
  type Claims,
  type FilterValue,
  type RowFilter,
  type SyncRules,
} from "./types.js";

/** Options for {@link filterDeltas}. */
export interface FilterOptions {
  /**
   * Looks up the current full row, so UPDATEs and DELETEs that do not carry a filtered column
   * can still be judged. Without it, such deltas are withheld (isolation first).
   */
  readonly lookupRow?: (table: string, rowId: string) => Row | null | undefined;
}

const UNRESOLVED = Symbol("unresolved");

function resolve(value: FilterValue, claims: Claims): ColumnValue | typeof UNRESOLVED {
  if (typeof value === "string" && value.startsWith(CLAIM_PREFIX)) {
    const claim = claims[value.slice(CLAIM_PREFIX.length)];
    return claim === undefined ? UNRESOLVED : claim;
  }
  return value;
}

function candidates(filter: RowFilter, claims: Claims): ColumnValue[] {
  if (filter.op === "eq") {
    const v = resolve(filter.value, claims);
    return v === UNRESOLVED ? [] : [v];
  }
  if (typeof filter.value === "string") {
    const v = resolve(filter.value, claims);
    if (v === UNRESOLVED) return [];
    return Array.isArray(v) ? [...v] : [v as ColumnValue];
  }
  const out: ColumnValue[] = [];
  for (const item of filter.value) {
    const v = resolve(item, claims);
    if (v !== UNRESOLVED) out.push(v);
  }
  return out;
}

function columnOf(
  delta: RowDelta,
  column: string,
  row: Row | null | undefined,
): ColumnValue | undefined {
  for (const c of delta.columns) if (c.column === column) return c.value;
  if (row && Object.hasOwn(row, column)) return row[column];
  return undefined;
}

/**
 * True when `rules` grant the caller (with `claims`) the row a delta touches. Column values come
 * from the delta first, then from `lookupRow`; a filter on a column whose value is unknown, or
 * that references a claim the token does not have, does not match.
 */
export function deltaAllowed(
  delta: RowDelta,
  rules: SyncRules,
  claims: Claims,
  options: FilterOptions = {},
): boolean {
  let row: Row | null | undefined;
  let looked = false;
  return grants(rules, delta.table, claims, (column) => {
    let value = columnOf(delta, column, undefined);
    if (value === undefined) {
      if (!looked) {
        row = options.lookupRow?.(delta.table, delta.rowId);
        looked = true;
      }
      value = columnOf(delta, column, row);
    }
    return value;
  });
}

/**
 * True when `rules` grant the caller (with `claims`) a row of `table` whose columns are `row`
 * (`null`: nothing is known of the row, so only filterless rules grant it). A filter on a
 * column the row lacks, or on a claim the token lacks, does not match.
 */
export function rowAllowed(
  table: string,
  row: Row | null,
  rules: SyncRules,
  claims: Claims,
): boolean {
  return grants(rules, table, claims, (column) =>
    row && Object.hasOwn(row, column) ? row[column] : undefined,
  );
}

/**
 * True when every filter holds for `row` (no filters: always). A filter on a column the row
 * lacks, or on a claim the token lacks, does not hold.
 */
export function filtersHold(
  filters: readonly RowFilter[] | undefined,
  row: Row | null,
  claims: Claims,
): boolean {
  return (filters ?? []).every((filter) => {
    const value = row && Object.hasOwn(row, filter.column) ? row[filter.column] : undefined;
    if (value === undefined) return false;
    return candidates(filter, claims).some((c) => columnValuesEqual(c, value));
  });
}

function grants(
  rules: SyncRules,
  table: string,
  claims: Claims,
  columnValue: (column: string) => ColumnValue | undefined,
): boolean {
  for (const bucket of rules.buckets) {
    for (const rule of bucket.tables) {
      if (rule.table !== table) continue;
      const filters = rule.filters ?? [];
      const ok = filters.every((filter) => {
        const value = columnValue(filter.column);
        if (value === undefined) return false;
        return candidates(filter, claims).some((c) => columnValuesEqual(c, value));
      });
      if (ok) return true;
    }
  }
  return false;
}

/**
 * Keeps the deltas the caller may receive: the union over all buckets of the rows each grants.
 * Pure: the input is not modified and order is preserved.
 */
export function filterDeltas(
  deltas: readonly RowDelta[],
  rules: SyncRules,
  claims: Claims,
  options: FilterOptions = {},
): RowDelta[] {
  return deltas.filter((delta) => deltaAllowed(delta, rules, claims, options));
}
