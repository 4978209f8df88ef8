import {
  type ColumnDelta,
  type DeltaOp,
  deltaId,
  encodeHLC,
  type RowDelta,
  unwrapOrThrow,
} from "../../index.js";

/** Builds a delta for conflict tests: `hlc` is a wall-clock offset in ms from a fixed epoch. */
export function delta(
  op: DeltaOp,
  clientId: string,
  hlc: number,
  columns: Record<string, ColumnDelta["value"]> = {},
  rowId = "r1",
  table = "todos",
  counter = 0,
): RowDelta {
  const ts = unwrapOrThrow(encodeHLC(1_700_000_000_000 + hlc, counter));
  const cols = Object.entries(columns).map(([column, value]) => ({ column, value }));
  return {
    op,
    table,
    rowId,
    clientId,
    hlc: ts,
    columns: cols,
    deltaId: deltaId({ clientId, hlc: ts, table, rowId, columns: cols }),
  };
}
