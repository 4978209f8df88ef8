/**
 * @module flush/targets/database-target
 * Flushing deltas into a relational database as column-level upserts and tombstones.
 */
import {
  type ColumnDelta,
  Err,
  FlushError,
  type HLCTimestamp,
  Ok,
  type Result,
} from "@lakesync/core";
import type { FlushBatch, FlushTarget, FlushWritten, RowWriter } from "../flush-target.js";

/**
 * Writes each batch to its table: the table is created or grown from the schema, writes become
 * column-level upserts and DELETEs tombstones, both merged by the database adapter with the
 * same last-writer-wins as every replica, so a retried batch changes nothing.
 */
export function databaseTarget(adapter: RowWriter, description = "database"): FlushTarget {
  return { description, write: (batch) => writeRows(adapter, batch) };
}

async function writeRows(
  adapter: RowWriter,
  batch: FlushBatch,
): Promise<Result<FlushWritten, FlushError>> {
  const { table, schema } = batch;
  if (!schema) return Err(new FlushError(`no schema for table "${table}": cannot create it`));
  const puts: {
    rowId: string;
    hlc: HLCTimestamp;
    clientId: string;
    columns: readonly ColumnDelta[];
  }[] = [];
  const deletes: { rowId: string; hlc: HLCTimestamp; clientId: string }[] = [];
  for (const { delta } of batch.entries) {
    const stamp = { rowId: delta.rowId, hlc: delta.hlc, clientId: delta.clientId };
    if (delta.op === "DELETE") deletes.push(stamp);
    else puts.push({ ...stamp, columns: delta.columns });
  }
  const ensured = await adapter.ensureTable(schema);
  if (!ensured.ok)
    return Err(
      new FlushError(`could not prepare table "${table}": ${ensured.error.message}`, {
        cause: ensured.error,
      }),
    );
  if (puts.length > 0) {
    const put = await adapter.putRows(table, puts);
    if (!put.ok)
      return Err(
        new FlushError(`could not write rows of "${table}": ${put.error.message}`, {
          cause: put.error,
        }),
      );
  }
  if (deletes.length > 0) {
    const deleted = await adapter.deleteRows(table, deletes);
    if (!deleted.ok)
      return Err(
        new FlushError(`could not delete rows of "${table}": ${deleted.error.message}`, {
          cause: deleted.error,
        }),
      );
  }
  return Ok({ paths: [], tables: [table], bytes: 0 });
}
