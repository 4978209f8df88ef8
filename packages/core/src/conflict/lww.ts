/**
 * @module conflict/lww
 * Column-level last-writer-wins resolution of two deltas to the same row: a view of the row-state
 * merge (`applyToRowState`), which is the one implementation of the rule.
 */
import { deltaId } from "../delta/delta-id.js";
import type { ColumnDelta, RowDelta } from "../delta/types.js";
import { ConflictError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import { compareWrites } from "./order.js";
import { applyToRowState, EMPTY_ROW_STATE, materialiseRow } from "./row-state.js";

/** Decides the outcome of two concurrent deltas to the same row. */
export interface ConflictResolver {
  /** Merges `remote` into `local`; `Err(ConflictError)` when they cannot be merged. */
  resolve(local: RowDelta, remote: RowDelta): Result<RowDelta, ConflictError>;
}

/**
 * Merges two deltas to the same row, column by column, exactly as replicas do (both deltas are
 * folded into an empty row state and the result is read back):
 * - for a column in both, the value of the delta with the higher HLC wins (equal HLCs: the
 *   higher `clientId`);
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
  const state = applyToRowState(applyToRowState(EMPTY_ROW_STATE, local), remote);
  const row = materialiseRow(state);
  if (row === null || winner.op === "DELETE") return Ok(winner);
  const columns: ColumnDelta[] = Object.keys(row)
    .sort()
    .map((column) => ({ column, value: row[column] ?? null }));
  if (loser.op === "DELETE") return Ok(winner);
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
