/**
 * @module store/sql/row-state-writes
 * Writing changed row states to the SQL store, several rows per statement.
 */
import type { RowChange } from "../../push/row-overlay.js";
import { encodeRowState } from "./row-state-json.js";
import { MAX_SQL_PARAMS, type SqlDriver } from "./sql-driver.js";

/** Rows written per upsert statement (three parameters each). */
const ROWS_PER_UPSERT = Math.floor(MAX_SQL_PARAMS / 3);

/** Upserts changed row states, several rows per statement. */
export function writeStates(sql: SqlDriver, changes: readonly RowChange[]): void {
  for (let i = 0; i < changes.length; i += ROWS_PER_UPSERT) {
    const part = changes.slice(i, i + ROWS_PER_UPSERT);
    const params: string[] = [];
    for (const c of part) params.push(c.table, c.rowId, encodeRowState(c.state));
    sql.exec(
      `INSERT INTO lakesync_row_states (tbl, row_id, state) VALUES ${part.map(() => "(?, ?, ?)").join(", ")} ON CONFLICT (tbl, row_id) DO UPDATE SET state = excluded.state`,
      ...params,
    );
  }
}
