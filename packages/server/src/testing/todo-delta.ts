/**
 * @module testing/todo-delta
 * Deltas of the todo app's table (`TODO_SCHEMA`) for tests.
 */
import { deltaId, HLC, type HLCTimestamp, type RowDelta } from "@lakesync/core";

const clock = new HLC();

/** A todo INSERT stamped with a real clock. */
export function todoInsert(
  clientId: string,
  rowId: string,
  fields: { title: string; owner: string; private?: boolean; completed?: boolean },
  hlc: HLCTimestamp = clock.now(),
): RowDelta {
  const columns = [
    { column: "title", value: fields.title },
    { column: "completed", value: fields.completed ?? false },
    { column: "owner", value: fields.owner },
    { column: "private", value: fields.private ?? true },
  ];
  return {
    op: "INSERT",
    table: "todos",
    rowId,
    clientId,
    columns,
    hlc,
    deltaId: deltaId({ clientId, hlc, table: "todos", rowId, columns }),
  };
}
