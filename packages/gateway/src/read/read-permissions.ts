/**
 * @module read/read-permissions
 * What a caller may read: sync rules applied to rows and to log entries, with rows entering and
 * leaving a caller's view told apart from rows that stay in it.
 */
import {
  type Claims,
  deltaAllowed,
  type Row,
  type RowState,
  rowAllowed,
  type SyncRules,
  setOwn,
} from "@lakesync/core";
import type { LogEntry, RowView } from "../log/log-entry.js";
import type { RowStates } from "../state/row-states.js";

/**
 * How a log entry reaches a caller: `send` the delta (the row is in view before and after, or
 * is created in view), `enter` (the row moved into view: send it whole), `leave` (the row moved
 * out of view: evict it), or `skip`.
 */
export type Transition = "send" | "enter" | "leave" | "skip";

/** The last written value of every column of a state (deletes ignored); `null` if none. */
export function lastValues(state: RowState | undefined): Row | null {
  if (!state) return null;
  let row: Record<string, Row[string]> | null = null;
  for (const [name, cell] of Object.entries(state.columns)) {
    row ??= {};
    setOwn(row, name, cell.value);
  }
  return row;
}

/** The columns the read rules of `table` filter on. */
export function filterColumns(rules: SyncRules | undefined, table: string): ReadonlySet<string> {
  const columns = new Set<string>();
  for (const bucket of rules?.buckets ?? [])
    for (const rule of bucket.tables)
      if (rule.table === table) for (const f of rule.filters ?? []) columns.add(f.column);
  return columns;
}

function pick(row: Row | null, columns: ReadonlySet<string>): Row | null {
  if (row === null) return null;
  const out: Record<string, Row[string]> = {};
  for (const column of columns)
    if (Object.hasOwn(row, column)) setOwn(out, column, row[column] ?? null);
  return out;
}

/**
 * Read permissions over the row index. Without sync rules everything is readable. Rows are
 * judged by their last written values (deletes ignored), so the deletion of a row a client
 * could see reaches that client.
 */
export class ReadPermissions {
  readonly #rules: () => SyncRules | undefined;
  readonly #rows: RowStates;
  readonly #columns = new Map<string, ReadonlySet<string>>();
  #columnsOf: SyncRules | undefined;

  constructor(rules: () => SyncRules | undefined, rows: RowStates) {
    this.#rules = rules;
    this.#rows = rows;
  }

  /**
   * The view to record with an entry of `table` whose delta took the row from `before` to
   * `after`, or `undefined` when no rule filters the table.
   */
  viewOf(table: string, before: RowState | undefined, after: RowState): RowView | undefined {
    const rules = this.#rules();
    if (rules !== this.#columnsOf) {
      this.#columns.clear();
      this.#columnsOf = rules;
    }
    let columns = this.#columns.get(table);
    if (!columns) {
      columns = filterColumns(rules, table);
      this.#columns.set(table, columns);
    }
    if (columns.size === 0) return undefined;
    return { before: pick(lastValues(before), columns), after: pick(lastValues(after), columns) };
  }

  /** How each entry reaches `claims`, fixed to the rules in force now. */
  transitions(claims: Claims): (entry: LogEntry) => Transition {
    const rules = this.#rules();
    if (!rules) return () => "send";
    const lookupRow = (table: string, rowId: string) => lastValues(this.#rows.get(table, rowId));
    return ({ delta, view }) => {
      if (!view) return deltaAllowed(delta, rules, claims, { lookupRow }) ? "send" : "skip";
      const is = view.after !== null && rowAllowed(delta.table, view.after, rules, claims);
      if (view.before === null) return is ? "send" : "skip";
      const was = rowAllowed(delta.table, view.before, rules, claims);
      if (was) return is ? "send" : "leave";
      return is ? "enter" : "skip";
    };
  }

  /**
   * A predicate for the rows of `table` that `claims` may receive, judged by a state in hand (no
   * lookup); `undefined` when every row is readable (no sync rules).
   */
  stateFilter(claims: Claims): ((table: string, state: RowState) => boolean) | undefined {
    const rules = this.#rules();
    if (!rules) return undefined;
    return (table, state) => rowAllowed(table, lastValues(state), rules, claims);
  }

  /** A predicate for the rows `claims` may receive now, judged by their current values. */
  rowFilter(claims: Claims): (table: string, rowId: string) => boolean {
    const rules = this.#rules();
    if (!rules) return () => true;
    return (table, rowId) =>
      rowAllowed(table, lastValues(this.#rows.get(table, rowId)), rules, claims);
  }
}
