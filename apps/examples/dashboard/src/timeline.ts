/**
 * @module timeline
 * Done vs open todos after every change in the history: the deltas folded in HLC order with
 * core's merge, counting each row's contribution before and after its delta, so the whole
 * timeline costs one pass over the history.
 */
import type { TableHistory } from "@lakesync/analyst";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  materialiseRow,
  type RowState,
} from "@lakesync/core";

/** The counts at one moment. */
export interface TimelinePoint {
  readonly hlc: HLCTimestamp;
  /** The HLC's wall clock, in seconds (for the chart's time axis). */
  readonly seconds: number;
  readonly done: number;
  readonly open: number;
}

function contribution(state: RowState | undefined): { done: number; open: number } {
  const row = state ? materialiseRow(state) : null;
  if (row === null) return { done: 0, open: 0 };
  return row.completed === true ? { done: 1, open: 0 } : { done: 0, open: 1 };
}

/** One point per distinct HLC of `history` (see the module comment). */
export function timeline(history: TableHistory): TimelinePoint[] {
  const states = new Map<string, RowState>();
  const points: TimelinePoint[] = [];
  let done = 0;
  let open = 0;
  const deltas = history.deltas;
  deltas.forEach((d, i) => {
    const before = contribution(states.get(d.rowId));
    const after = applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d);
    states.set(d.rowId, after);
    const now = contribution(after);
    done += now.done - before.done;
    open += now.open - before.open;
    if (deltas[i + 1]?.hlc !== d.hlc)
      points.push({ hlc: d.hlc, seconds: Number(d.hlc >> 16n) / 1000, done, open });
  });
  return points;
}
