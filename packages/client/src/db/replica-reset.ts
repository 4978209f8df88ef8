/**
 * @module db/replica-reset
 * Emptying a replica's synced rows (and their merge state) before it starts again from a
 * checkpoint, so that nothing it held before can outlive the gateway's state.
 */
import { Ok, type Result } from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import type { LocalDB } from "./local-db.js";
import { quoteIdentifier } from "./sql-identifier.js";
import { stampTableName } from "./stamp-table.js";

/**
 * Removes every row of every registered table and its merge stamps, in one transaction; the
 * schemas, the outbox and the metadata stay. A client whose cursor expired calls it before
 * applying a fresh checkpoint: rows deleted (or moved out of its view) while it was away would
 * otherwise survive on it alone.
 */
export function clearSyncedRows(db: LocalDB): Result<void, LocalDBError> {
  return db.transaction<void>(() => {
    for (const schema of db.schemas()) {
      const rows = db.exec(`DELETE FROM ${quoteIdentifier(schema.table)}`);
      if (!rows.ok) return rows;
      const stamps = db.exec(`DELETE FROM ${quoteIdentifier(stampTableName(schema.table))}`);
      if (!stamps.ok) return stamps;
    }
    return Ok(undefined);
  });
}
