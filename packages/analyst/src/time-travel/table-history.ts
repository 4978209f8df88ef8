/**
 * @module time-travel/table-history
 * A synced table's flushed deltas from the history table, sorted by HLC, folded on demand into
 * the state as of any HLC: what a replica holds after exactly the deltas at or before it
 * (core's merge, so the order of equal HLCs does not matter).
 */
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  Err,
  type HLCTimestamp,
  materialiseRow,
  Ok,
  type Result,
  type Row,
  type RowDelta,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import { AnalystError } from "../errors.js";

/** A table as of one HLC. */
export interface TableAsOf {
  readonly schema: TableSchema;
  /** Row id → live row (every column of `schema`, null where absent). */
  readonly rows: ReadonlyMap<string, Row>;
  /** Row id → merge state, tombstoned rows included. */
  readonly states: ReadonlyMap<string, RowState>;
  /** The HLC asked for. */
  readonly hlc: HLCTimestamp;
  /** How many deltas were folded. */
  readonly deltas: number;
}

/** The flushed deltas of one table, ready to be folded (see the module comment). */
export class TableHistory {
  /** The deltas, sorted by HLC (then delta id). */
  readonly deltas: readonly RowDelta[];
  /** Before this HLC the history cannot answer (`undefined`: it reaches back to the start). */
  readonly retainedFrom: HLCTimestamp | undefined;
  readonly schema: TableSchema;

  constructor(
    schema: TableSchema,
    deltas: readonly RowDelta[],
    retainedFrom: HLCTimestamp | undefined,
  ) {
    this.schema = schema;
    this.retainedFrom = retainedFrom;
    this.deltas = [...deltas].sort((a, b) =>
      a.hlc !== b.hlc
        ? a.hlc < b.hlc
          ? -1
          : 1
        : a.deltaId < b.deltaId
          ? -1
          : a.deltaId > b.deltaId
            ? 1
            : 0,
    );
  }

  /** The distinct HLCs of the deltas, ascending: the moments at which the table changed. */
  moments(): HLCTimestamp[] {
    const out: HLCTimestamp[] = [];
    for (const d of this.deltas) if (out[out.length - 1] !== d.hlc) out.push(d.hlc);
    return out;
  }

  /**
   * The table as of `hlc`. `Err(AnalystError)` (`BEYOND_RETENTION`) for an HLC before
   * {@link retainedFrom}.
   */
  asOf(hlc: HLCTimestamp): Result<TableAsOf, AnalystError> {
    if (this.retainedFrom !== undefined && hlc < this.retainedFrom)
      return Err(
        new AnalystError(
          "BEYOND_RETENTION",
          `the history of "${this.schema.table}" reaches back to HLC ${this.retainedFrom}; ${hlc} is older`,
        ),
      );
    const states = new Map<string, RowState>();
    let count = 0;
    for (const d of this.deltas) {
      if (d.hlc > hlc) break;
      count++;
      states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
    }
    const rows = new Map<string, Row>();
    for (const [rowId, state] of states) {
      const row = materialiseRow(state);
      if (row === null) continue;
      const full: Record<string, Row[string]> = {};
      for (const c of this.schema.columns)
        full[c.name] = Object.hasOwn(row, c.name) ? (row[c.name] ?? null) : null;
      rows.set(rowId, full);
    }
    return Ok({ schema: this.schema, rows, states, hlc, deltas: count });
  }
}
