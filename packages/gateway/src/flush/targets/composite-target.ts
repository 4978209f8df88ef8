/**
 * @module flush/targets/composite-target
 * Routing each table's batch to its own target (for example `todos` to PostgreSQL, the rest to
 * the lake).
 */
import type { FlushTarget } from "../flush-target.js";

/** Picks the target of a table. */
export type TargetRouter = (table: string) => FlushTarget;

/**
 * A target that hands each batch to `route(batch.table)` (its write, and the commit step that
 * write returns). Every table is flushed, and fails, on its own.
 */
export function compositeTarget(
  route: TargetRouter,
  description = "per-table targets",
): FlushTarget {
  return { description, write: (batch) => route(batch.table).write(batch) };
}
