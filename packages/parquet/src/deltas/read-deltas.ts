/**
 * @module deltas/read-deltas
 * Reading a Parquet delta file back into deltas.
 */
import {
  type ColumnDelta,
  type ColumnType,
  type ColumnValue,
  type DeltaOp,
  Err,
  type FlushError,
  Ok,
  type Result,
  type RowDelta,
  SchemaError,
  type TableSchema,
  toHLC,
} from "@lakesync/core";
import type { Table } from "apache-arrow";
import { parquetToArrow } from "../arrow/parquet-io.js";
import { readColumn, readLists } from "../arrow/read-vectors.js";
import { DELTA_COLUMNS } from "../schema/arrow-schema.js";
import { schemaProblem } from "../schema/check-schema.js";
import { loadValue } from "../schema/column-values.js";
import { fileSchema } from "../schema/file-schema.js";

const OPS = new Map<unknown, DeltaOp>([
  ["INSERT", "INSERT"],
  ["UPDATE", "UPDATE"],
  ["DELETE", "DELETE"],
]);
const REQUIRED = new Set<string>(DELTA_COLUMNS);

/**
 * Reads deltas written by `writeDeltasToParquet`, losslessly: absent columns stay absent, nulls
 * stay null, HLCs are exact up to 2^64 - 1. User columns are typed by `schema` when given (for a
 * delta file another engine rewrote without LakeSync's metadata), else by the schema recorded in
 * the file. Returns `Err(SchemaError)` for bytes that are not Parquet, a Parquet file without
 * the delta layout (naming what is missing or wrong) or values that do not fit their type.
 */
export function readParquetToDeltas(
  bytes: Uint8Array,
  schema?: TableSchema,
): Result<RowDelta[], SchemaError | FlushError> {
  const problem = schema && schemaProblem(schema, REQUIRED);
  if (problem) return Err(problem);
  const read = parquetToArrow(bytes);
  if (!read.ok) return read;
  const table = read.value;
  const missing = [...REQUIRED].filter((name) => table.getChild(name) === null);
  if (missing.length > 0)
    return Err(
      new SchemaError(`not a LakeSync delta file: missing column(s) ${missing.join(", ")}`),
    );
  const layout = fileSchema(table, REQUIRED, "", schema);
  if (!layout.ok) return layout;
  const hlcType = String(table.getChild("hlc")?.type);
  if (hlcType !== "Uint64" && hlcType !== "Int64")
    return Err(new SchemaError(`column hlc must be a 64-bit integer, is ${hlcType}`));
  try {
    return toDeltas(table, layout.value);
  } catch (cause) {
    return Err(new SchemaError("the delta file holds invalid UTF-8 text", { cause }));
  }
}

function toDeltas(table: Table, schema: TableSchema): Result<RowDelta[], SchemaError> {
  const column = (name: string, repeated = false) => {
    const vector = table.getChild(name);
    return vector ? readColumn(vector, { repeated }) : [];
  };
  // Ops, table and client names repeat; shared strings keep a million deltas small.
  const ops = column("op", true);
  const tables = column("table", true);
  const clientIds = column("client_id", true);
  const rowIds = column("row_id");
  const hlcs = column("hlc");
  const ids = column("delta_id");
  const presentVector = table.getChild("_present");
  const present = presentVector ? readLists(presentVector, { repeated: true }) : undefined;
  const user = new Map<unknown, { name: string; type: ColumnType; values: unknown[] }>();
  for (const c of schema.columns) {
    const vector = table.getChild(c.name);
    if (vector) user.set(c.name, { name: c.name, type: c.type, values: readColumn(vector) });
  }

  // Table.numRows sums over the record batches on every call; read it once.
  const n = table.numRows;
  const out: RowDelta[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const op = OPS.get(ops[i]);
    if (!op) return Err(new SchemaError(`row ${i}: unknown op ${JSON.stringify(ops[i])}`));
    const raw = hlcs[i];
    if (typeof raw !== "bigint") return Err(new SchemaError(`row ${i}: hlc is null`));
    const hlc = toHLC(BigInt.asUintN(64, raw));
    if (!hlc.ok) return Err(new SchemaError(`row ${i}: invalid hlc`, { cause: hlc.error }));
    const tableName = tables[i];
    const rowId = rowIds[i];
    const clientId = clientIds[i];
    const deltaId = ids[i];
    if (
      typeof tableName !== "string" ||
      typeof rowId !== "string" ||
      typeof clientId !== "string" ||
      typeof deltaId !== "string"
    )
      return Err(
        new SchemaError(`row ${i}: table, row_id, client_id and delta_id must be strings`),
      );
    const columns: ColumnDelta[] = [];
    for (let k = present?.from[i] ?? 0; k < (present?.to[i] ?? 0); k++) {
      const name = present?.items[k];
      const stored = user.get(name);
      if (!stored)
        return Err(
          new SchemaError(
            `row ${i}: column ${JSON.stringify(name)} is listed as present but not stored`,
          ),
        );
      const raw = stored.values[i] ?? null;
      if (raw === null || typeof raw === stored.type) {
        columns.push({ column: stored.name, value: raw as ColumnValue });
        continue;
      }
      const value = loadValue(stored.type, raw, `${tableName}.${stored.name}`);
      if (!value.ok) return value;
      columns.push({ column: stored.name, value: value.value });
    }
    out[i] = {
      op,
      table: tableName,
      rowId,
      clientId,
      hlc: hlc.value,
      deltaId,
      columns,
    };
  }
  return Ok(out);
}
