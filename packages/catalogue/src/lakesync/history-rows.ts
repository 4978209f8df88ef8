/**
 * @module lakesync/history-rows
 * Log entries (`{seq, delta}`) as rows of `ns._lakesync_history`, and back.
 */
import {
  type ColumnDelta,
  checkColumnValue,
  Err,
  Ok,
  type Result,
  type RowDelta,
} from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { hlcToLong, longToHlc } from "./cell-codec.js";
import type { LakeSyncLogEntry } from "./lake-batch.js";

/** The `_lakesync_history` row of a log entry. */
export function historyRowOf(entry: LakeSyncLogEntry): Record<string, string | bigint> {
  const { delta } = entry;
  return {
    seq: hlcToLong(entry.seq),
    table: delta.table,
    op: delta.op,
    row_id: delta.rowId,
    client_id: delta.clientId,
    hlc: hlcToLong(delta.hlc),
    delta_id: delta.deltaId,
    columns: JSON.stringify(delta.columns.map(({ column, value }) => ({ column, value }))),
  };
}

const OPS = new Set(["INSERT", "UPDATE", "DELETE"]);

function parseColumns(text: unknown, where: string): Result<ColumnDelta[], CatalogueError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(text));
  } catch (cause) {
    return Err(new CatalogueError("INVALID_INPUT", `${where}: columns are not JSON`, { cause }));
  }
  if (!Array.isArray(parsed))
    return Err(new CatalogueError("INVALID_INPUT", `${where}: columns are not a JSON array`));
  const out: ColumnDelta[] = [];
  for (const item of parsed) {
    const { column, value } = (typeof item === "object" && item !== null ? item : {}) as {
      column?: unknown;
      value?: unknown;
    };
    const checked = checkColumnValue(value === undefined ? null : value, `${where}.${column}`);
    if (typeof column !== "string" || !checked.ok)
      return Err(new CatalogueError("INVALID_INPUT", `${where}: a malformed column change`));
    out.push({ column, value: checked.value });
  }
  return Ok(out);
}

/**
 * The log entry of a `_lakesync_history` row as read (longs as bigints). `Err(CatalogueError)`
 * (`INVALID_INPUT`) for a row that is not one.
 */
export function historyEntryOf(
  row: Readonly<Record<string, unknown>>,
): Result<LakeSyncLogEntry, CatalogueError> {
  const where = `history row ${String(row.seq)}`;
  const seq = longToHlc(row.seq, where);
  if (!seq.ok) return seq;
  const hlc = longToHlc(row.hlc, where);
  if (!hlc.ok) return hlc;
  const { table, op, row_id: rowId, client_id: clientId, delta_id: deltaId } = row;
  if (
    typeof table !== "string" ||
    typeof op !== "string" ||
    !OPS.has(op) ||
    typeof rowId !== "string" ||
    typeof clientId !== "string" ||
    typeof deltaId !== "string"
  )
    return Err(new CatalogueError("INVALID_INPUT", `${where}: a malformed delta`));
  const columns = parseColumns(row.columns, where);
  if (!columns.ok) return columns;
  return Ok({
    seq: seq.value,
    delta: {
      op: op as RowDelta["op"],
      table,
      rowId,
      clientId,
      columns: columns.value,
      hlc: hlc.value,
      deltaId,
    },
  });
}
