/**
 * @module read/pull-page
 * Turning the log entries of one pull page into what the caller receives: deltas, rows that
 * entered its view (whole), and rows that left it (evictions).
 */
import { type RowDelta, type RowKey, rowKey, rowStateToDeltas } from "@lakesync/core";
import type { RowRef } from "@lakesync/proto";
import type { LogEntry } from "../log/log-entry.js";
import type { RowStates } from "../state/row-states.js";
import type { Transition } from "./read-permissions.js";

/** What one page carries: deltas to merge, then rows to evict. */
export interface PullPage {
  readonly deltas: RowDelta[];
  readonly evicted: RowRef[];
}

/**
 * Builds a page from entries already classified by `transition`. A row entering the caller's
 * view is sent whole — every column with its stamp, and its tombstone — but only if the caller
 * may see it now (it may have left again since; a later entry then evicts it, and sending its
 * current values would leak them). A row that leaves is evicted, unless a later entry of the
 * same page brings it back. Evictions are applied after the deltas.
 */
export function buildPullPage(
  entries: readonly LogEntry[],
  transition: (entry: LogEntry) => Transition,
  rows: RowStates,
  visibleNow: (table: string, rowId: string) => boolean,
): PullPage {
  const deltas: RowDelta[] = [];
  const evicted = new Map<RowKey, RowRef>();
  const whole = new Set<RowKey>();
  for (const entry of entries) {
    const { table, rowId } = entry.delta;
    const key = rowKey(table, rowId);
    switch (transition(entry)) {
      case "send":
        deltas.push(entry.delta);
        evicted.delete(key);
        break;
      case "enter": {
        const state = rows.get(table, rowId);
        if (!state || whole.has(key) || !visibleNow(table, rowId)) break;
        whole.add(key);
        for (const d of rowStateToDeltas(table, rowId, state)) deltas.push(d);
        evicted.delete(key);
        break;
      }
      case "leave":
        evicted.set(key, { table, rowId });
        whole.delete(key);
        break;
      case "skip":
        break;
    }
  }
  return { deltas, evicted: [...evicted.values()] };
}
