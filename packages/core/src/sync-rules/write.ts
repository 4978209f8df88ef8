/**
 * @module sync-rules/write
 * Deciding whether a caller may write a delta: the write grants of the sync rules, judged on
 * the row as it was and as it will be.
 */
import { columnValuesEqual } from "../delta/json-value.js";
import type { Row, RowDelta } from "../delta/types.js";
import { filtersHold } from "./filter.js";
import type { Claims, SyncRules, WriteGrant, WriteOperation } from "./types.js";

const ALL: readonly WriteOperation[] = ["insert", "update", "delete"];

/**
 * The write grants in force: `rules.writes`, or, when the document has none, one grant per
 * table rule of every bucket (any column, any operation, under the bucket's filters).
 */
export function writeGrants(rules: SyncRules): readonly WriteGrant[] {
  if (rules.writes) return rules.writes;
  return rules.buckets.flatMap((bucket) =>
    bucket.tables.map((t) =>
      t.filters ? { table: t.table, filters: t.filters } : { table: t.table },
    ),
  );
}

/** The operation a delta performs on a row, judged by its effect, not its label. */
export function writeOperation(delta: RowDelta, before: Row | null): WriteOperation {
  if (delta.op === "DELETE") return "delete";
  return before === null ? "insert" : "update";
}

/** The columns a delta changes: those it writes with a value different from the row's. */
export function changedColumns(delta: RowDelta, before: Row | null): string[] {
  const out: string[] = [];
  for (const { column, value } of delta.columns) {
    const old = before && Object.hasOwn(before, column) ? before[column] : undefined;
    if (old === undefined || !columnValuesEqual(old, value)) out.push(column);
  }
  return out;
}

/**
 * Why `claims` may not write `delta`, or `undefined` when a grant allows it. `before` is the
 * row's last written values (ignoring a delete; `null` when it was never written) and `after`
 * the values once the delta is merged. A grant allows the write when it names the table and
 * the operation, its filters hold for `before` (unless the write creates the row) and for
 * `after` (unless it deletes the row), and it covers every column the write changes.
 */
export function writeRefusal(
  delta: RowDelta,
  before: Row | null,
  after: Row | null,
  rules: SyncRules,
  claims: Claims,
): string | undefined {
  const operation = writeOperation(delta, before);
  const changed = operation === "delete" ? [] : changedColumns(delta, before);
  for (const grant of writeGrants(rules)) {
    if (grant.table !== delta.table) continue;
    if (!(grant.operations ?? ALL).includes(operation)) continue;
    if (operation !== "insert" && !filtersHold(grant.filters, before, claims)) continue;
    if (operation !== "delete" && !filtersHold(grant.filters, after, claims)) continue;
    const columns = grant.columns ?? "*";
    if (columns !== "*" && !changed.every((c) => columns.includes(c))) continue;
    return undefined;
  }
  const who = typeof claims.sub === "string" ? `"${claims.sub}"` : "this caller";
  const what = changed.length > 0 ? ` (columns ${changed.join(", ")})` : "";
  return `no write grant lets ${who} ${operation} ${delta.table}/${delta.rowId}${what}`;
}
