/**
 * @module iceberg/iceberg-column-writer
 * Writing one checked {@link IcebergColumn} as a column of an Arrow IPC record batch, in the
 * buffer layout of its Arrow type.
 */
import { validityOf, writeBinary, writeFixed } from "../arrow/ipc-columns.js";
import type { IpcWriter } from "../arrow/ipc-writer.js";
import { writeUtf8 } from "../arrow/utf8-column.js";
import { asInt64, type IcebergColumn, type IcebergColumnType } from "./iceberg-types.js";

/** Fills `data` with the numbers among `values` (0 where a value is null). */
function numbersInto<T extends Int32Array | Float32Array | Float64Array>(
  data: T,
  values: readonly unknown[],
): T {
  for (let i = 0; i < data.length; i++) {
    const v = values[i];
    if (typeof v === "number") data[i] = v;
  }
  return data;
}

/** The values buffer of a fixed-width or bit-packed column of `type` (0 or false for nulls). */
function fixedData(
  type: IcebergColumnType,
  values: readonly unknown[],
  n: number,
): ArrayBufferView {
  switch (type) {
    case "boolean": {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++)
        if (values[i] === true) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
      return bits;
    }
    case "int":
    case "date":
      return numbersInto(new Int32Array(n), values);
    case "float":
      return numbersInto(new Float32Array(n), values);
    case "double":
      return numbersInto(new Float64Array(n), values);
    default:
      return BigInt64Array.from({ length: n }, (_, i) => asInt64(values[i]) ?? 0n);
  }
}

/**
 * Writes the first `n` values of `column` as the next column of `writer`'s open batch. The
 * values must have been checked against the column's type (`fitsIcebergType`); `null` and
 * `undefined` are written as null.
 */
export function writeIcebergColumn(writer: IpcWriter, column: IcebergColumn, n: number): void {
  const values = column.values;
  const validity = validityOf(n, (i) => values[i] !== null && values[i] !== undefined);
  // The casts hold: every non-null value was checked against the column's type.
  if (column.type === "string")
    writeUtf8(writer, n, values as readonly (string | null | undefined)[], validity);
  else if (column.type === "binary")
    writeBinary(writer, n, values as readonly (Uint8Array | null | undefined)[], validity);
  else writeFixed(writer, n, fixedData(column.type, values, n), validity);
}
