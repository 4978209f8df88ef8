/**
 * A two-replica walk through LakeSync's core: column-level deltas stamped with hybrid logical
 * clocks, merged with column-level last-writer-wins. Run with `npm start` until the gateway
 * and the todo app take over that command.
 */
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  extractDelta,
  HLC,
  materialiseRow,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";

const phone = new HLC();
const laptop = new HLC();
const base = { title: "Buy milk", completed: false };

const insert = unwrapOrThrow(
  extractDelta(null, base, { table: "todos", rowId: "t1", clientId: "phone", hlc: phone.now() }),
);
const rename = unwrapOrThrow(
  extractDelta(
    base,
    { ...base, title: "Buy oat milk" },
    { table: "todos", rowId: "t1", clientId: "phone", hlc: phone.now() },
  ),
);
const tick = unwrapOrThrow(
  extractDelta(
    base,
    { ...base, completed: true },
    { table: "todos", rowId: "t1", clientId: "laptop", hlc: laptop.now() },
  ),
);

const deltas = [insert, rename, tick].filter((d): d is RowDelta => d !== null);
for (const d of deltas) {
  console.log(
    `${d.clientId.padEnd(6)} ${d.op.padEnd(6)} hlc=${d.hlc} columns=${JSON.stringify(d.columns)}`,
  );
}
const forwards = deltas.reduce(applyToRowState, EMPTY_ROW_STATE);
const backwards = [...deltas].reverse().reduce(applyToRowState, EMPTY_ROW_STATE);
console.log("merged in push order:   ", materialiseRow(forwards));
console.log("merged in reverse order:", materialiseRow(backwards));
console.log("Both replicas converge: the title edit and the tick are kept, column by column.");
