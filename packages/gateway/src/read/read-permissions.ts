/**
 * @module read/read-permissions
 * What a caller may read: sync rules applied to deltas and rows, judged by the rows' merged
 * values.
 */
import {
  type Claims,
  deltaAllowed,
  type RowDelta,
  rowAllowed,
  type SyncRules,
} from "@lakesync/core";
import type { RowIndex } from "../state/row-index.js";

/**
 * Read permissions over the row index. Without sync rules everything is readable. A delta that
 * does not carry a filtered column is judged by the row's last written values (deletes
 * ignored), so the deletion of a row a client could see reaches that client.
 */
export class ReadPermissions {
  readonly #rules: () => SyncRules | undefined;
  readonly #rows: RowIndex;

  constructor(rules: () => SyncRules | undefined, rows: RowIndex) {
    this.#rules = rules;
    this.#rows = rows;
  }

  /** A predicate for the deltas `claims` may receive, fixed to the rules in force now. */
  deltaFilter(claims: Claims): (delta: RowDelta) => boolean {
    const rules = this.#rules();
    if (!rules) return () => true;
    const lookupRow = (table: string, rowId: string) => this.#rows.values(table, rowId);
    return (delta) => deltaAllowed(delta, rules, claims, { lookupRow });
  }

  /** A predicate for the rows `claims` may receive, fixed to the rules in force now. */
  rowFilter(claims: Claims): (table: string, rowId: string) => boolean {
    const rules = this.#rules();
    if (!rules) return () => true;
    return (table, rowId) => rowAllowed(table, this.#rows.values(table, rowId), rules, claims);
  }
}
