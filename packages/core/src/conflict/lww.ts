/**
 * @module conflict/lww
 * Column-level last-writer-wins resolution of two deltas to the same row.
 */
import { deltaId } from "../delta/delta-id.js";
import type { ColumnDelta, RowDelta } from "../delta/types.js";
import { ConflictError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import { compareWrites } from "./order.js";

/** Decides the outcome of two concurrent deltas to the same row. */
export interface ConflictResolver {
  /** Merges `remote` into `local`; `Err(ConflictError)` when they cannot be merged. */
  resolve(local: RowDelta, remote: RowDelta): Result<RowDelta, ConflictError>;
}

/**
 * Merges two deltas to the same row, column by column:
 * - for a column in both, the value of the delta with the higher HLC wins (equal HLCs: the
 *   higher `clientId`; a full tie: the higher `deltaId`, so the result never depends on order);
 * - a DELETE that wins removes the row (the result is that DELETE);
 * - a write that beats a DELETE resurrects the row with the write's columns only;
 * - of two DELETEs, the later one is kept.
 * The merged delta carries the winner's HLC and client id, columns sorted by name, and a
 * `deltaId` recomputed from its content. `resolveLWW(a, b)` equals `resolveLWW(b, a)`.
 * Returns `Err(ConflictError)` when the deltas address different tables or rows.
 */
export function resolveLWW(local: RowDelta, remote: RowDelta): Result<RowDelta, ConflictError> {
  if (local.table !== remote.table || local.rowId !== remote.rowId) {
    return Err(
      new ConflictError(
        `cannot merge deltas for different rows: ${local.table}/${local.rowId} and ${remote.table}/${remote.rowId}`,
      ),
    );
  }
  if (local.deltaId === remote.deltaId) return Ok(local);
  const order = compareWrites(local, remote) || (local.deltaId > remote.deltaId ? 1 : -1);
  const [winner, loser] = order > 0 ? [local, remote] : [remote, local];
  if (winner.op === "DELETE" || loser.op === "DELETE") return Ok(winner);

  const merged = new Map<string, ColumnDelta>();
  for (const column of loser.columns) merged.set(column.column, column);
  for (const column of winner.columns) merged.set(column.column, column);
  const columns = [...merged.values()].sort((a, b) => (a.column < b.column ? -1 : 1));
  const op = winner.op === "INSERT" || loser.op === "INSERT" ? "INSERT" : "UPDATE";
  const { table, rowId, clientId, hlc } = winner;
  return Ok({
    op,
    table,
    rowId,
    clientId,
    hlc,
    columns,
    deltaId: deltaId({ clientId, hlc, table, rowId, columns }),
  });
}

/** The column-level last-writer-wins {@link ConflictResolver}. */
export const lwwResolver: ConflictResolver = { resolve: resolveLWW };
