/**
 * @module deltas/delta-batch
 * Writing deltas as record batches of the delta-file layout straight into an Arrow IPC stream:
 * one pass over the deltas gathers every column (each delta object is visited once), then each
 * column is written where parquet-wasm will read it. No row objects, no Arrow vectors; the
 * arrays are reused from batch to batch.
 */
import { Err, Ok, type Result, type RowDelta, SchemaError, type TableSchema } from "@lakesync/core";
import { writeFixed } from "../arrow/ipc-columns.js";
import type { IpcWriter } from "../arrow/ipc-writer.js";
import { writeUtf8, writeUtf8List } from "../arrow/utf8-column.js";
import { ColumnBuilder } from "../schema/column-builder.js";
import { misfit } from "../schema/column-values.js";

/** Writes batches of up to `capacity` deltas typed by one layout. */
export interface DeltaBatchWriter {
  /**
   * Writes `deltas[from]` up to `deltas[to - 1]` as the next record batch of `writer`.
   * `Err(SchemaError)` when a value does not fit its column or a delta's metadata is not text
   * (nothing is written then); columns outside the layout are skipped (the caller has refused
   * them).
   */
  write(
    writer: IpcWriter,
    deltas: readonly RowDelta[],
    from: number,
    to: number,
  ): Result<void, SchemaError>;
}

const texts = (n: number) => new Array<string>(n).fill("");

/** A writer of delta batches of up to `capacity` rows for `layout`. */
export function deltaBatchWriter(layout: TableSchema, capacity: number): DeltaBatchWriter {
  const names = layout.columns.map((c) => c.name);
  const columnIndex = new Map(names.map((name, i) => [name, i]));
  const builders = layout.columns.map((c) => new ColumnBuilder(c.type, capacity));
  const ops = texts(capacity);
  const tables = texts(capacity);
  const rowIds = texts(capacity);
  const clientIds = texts(capacity);
  const ids = texts(capacity);
  const hlc = new BigUint64Array(capacity);
  const presentOffsets = new Int32Array(capacity + 1);
  // Column names carried by each delta, flattened (presentOffsets delimit them); entries past
  // the batch's count are left over from an earlier batch and never read.
  const present: string[] = [];

  return {
    write(writer, deltas, from, to) {
      const n = to - from;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const d = deltas[from + i] as RowDelta;
        const { op, table, rowId, clientId, deltaId, columns } = d;
        if (
          typeof op !== "string" ||
          typeof table !== "string" ||
          typeof rowId !== "string" ||
          typeof clientId !== "string" ||
          typeof deltaId !== "string"
        )
          return Err(
            new SchemaError(
              `delta ${from + i}: op, table, rowId, clientId and deltaId must be strings`,
            ),
          );
        ops[i] = op;
        tables[i] = table;
        rowIds[i] = rowId;
        clientIds[i] = clientId;
        ids[i] = deltaId;
        hlc[i] = d.hlc;
        for (let k = 0; k < columns.length; k++) {
          const { column, value } = columns[k] as RowDelta["columns"][number];
          // Deltas usually list their columns in the layout's order: try that position first.
          const c = names[k] === column ? k : columnIndex.get(column);
          if (c === undefined) continue;
          if (!(builders[c] as ColumnBuilder).set(i, value))
            return Err(misfit(layout, column, value));
          present[count++] = names[c] as string;
        }
        presentOffsets[i + 1] = count;
      }
      writer.beginBatch(n);
      writeUtf8(writer, n, ops);
      writeUtf8(writer, n, tables);
      writeUtf8(writer, n, rowIds);
      writeUtf8(writer, n, clientIds);
      writeFixed(writer, n, hlc.subarray(0, n));
      writeUtf8(writer, n, ids);
      writeUtf8List(writer, presentOffsets.subarray(0, n + 1), present);
      // The builders follow the layout's column order, which the Arrow schema follows too.
      for (const builder of builders) builder.write(writer, n);
      writer.endBatch();
      return Ok(undefined);
    },
  };
}
