/**
 * @module deltas/delta-batch
 * One Arrow record batch of the delta-file layout, from a slice of deltas.
 */
import {
  Err,
  Ok,
  type Result,
  type RowDelta,
  type SchemaError,
  type TableSchema,
} from "@lakesync/core";
import { makeVector, type RecordBatch, type Schema, type Vector } from "apache-arrow";
import { recordBatch, utf8ListVector, utf8Vector } from "../arrow/build-vectors.js";
import { type ColumnBuilder, columnBuilder } from "../schema/column-builder.js";
import { misfit } from "../schema/column-values.js";

/**
 * Builds the record batch for `deltas[from]` up to `deltas[to - 1]`, typed by `layout`, whose
 * Arrow schema (`deltaArrowSchema(layout)`) every batch of a file shares.
 * `Err(SchemaError)` when a value does not fit its column; columns outside `layout` are skipped
 * (the caller has refused them already).
 */
export function deltaBatch(
  deltas: readonly RowDelta[],
  from: number,
  to: number,
  layout: TableSchema,
  arrowSchema: Schema,
): Result<RecordBatch, SchemaError> {
  const n = to - from;
  const hlc = new BigUint64Array(n);
  const columnIndex = new Map(layout.columns.map((c, i) => [c.name, i]));
  const builders = layout.columns.map((c) => columnBuilder(c.type, n));
  // The carried columns of every delta, as indexes into the layout (flattened, with offsets).
  let present = new Int32Array(n * 2);
  const presentOffsets = new Int32Array(n + 1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const d = deltas[from + i] as RowDelta;
    hlc[i] = d.hlc;
    for (const { column, value } of d.columns) {
      const c = columnIndex.get(column);
      if (c === undefined) continue;
      if (!(builders[c] as ColumnBuilder).set(i, value)) return Err(misfit(layout, column, value));
      if (count === present.length) {
        const grown = new Int32Array(present.length * 2);
        grown.set(present);
        present = grown;
      }
      present[count++] = c;
    }
    presentOffsets[i + 1] = count;
  }
  const text = (field: (d: RowDelta) => string) =>
    utf8Vector(n, (i) => field(deltas[from + i] as RowDelta));
  const names = layout.columns.map((c) => c.name);
  const columns: Vector[] = [
    text((d) => d.op),
    text((d) => d.table),
    text((d) => d.rowId),
    text((d) => d.clientId),
    makeVector(hlc),
    text((d) => d.deltaId),
    utf8ListVector(presentOffsets, (k) => names[present[k] as number] ?? ""),
  ];
  // The builders were made in the layout's column order, which the Arrow schema follows.
  for (const builder of builders) columns.push(builder.finish());
  return Ok(recordBatch(arrowSchema, n, columns));
}
