/**
 * @module deltas/write-deltas
 * Writing deltas to a Parquet delta file.
 */
import {
  Err,
  type FlushError,
  Ok,
  type Result,
  type RowDelta,
  SchemaError,
  type TableSchema,
} from "@lakesync/core";
import type { IpcWriter } from "../arrow/ipc-writer.js";
import { writeParquetStream } from "../arrow/parquet-io.js";
import {
  DELTA_COLUMNS,
  deltaArrowSchema,
  FORMAT_METADATA_KEY,
  jsonSchemaFor,
  SCHEMA_METADATA_KEY,
} from "../schema/arrow-schema.js";
import { schemaProblem } from "../schema/check-schema.js";
import type { ParquetWriteOptions } from "../write-options.js";
import { deltaBatchWriter } from "./delta-batch.js";

const RESERVED = new Set<string>(DELTA_COLUMNS);
const SLICE = 65_536;

/**
 * Writes deltas to Parquet: one row per delta with the metadata columns `op`, `table`, `row_id`,
 * `client_id`, `hlc` (UInt64), `delta_id`, `_present` (the names of the columns the delta
 * carries, so an absent column is told apart from a null one), and one column per user column
 * (typed by `schema`; without one, every column is JSON text). Returns `Err(SchemaError)` when a
 * value does not fit its declared type, a delta is for another table than the schema's, or a
 * user column uses a reserved name; `Err(FlushError)` when Parquet cannot be written.
 */
export function writeDeltasToParquet(
  deltas: readonly RowDelta[],
  schema?: TableSchema,
  options: ParquetWriteOptions = {},
): Result<Uint8Array, SchemaError | FlushError> {
  const names = new Set<string>();
  for (const delta of deltas) {
    if (schema && delta.table !== schema.table) {
      return Err(
        new SchemaError(
          `delta ${delta.deltaId} is for table "${delta.table}", the schema for "${schema.table}"`,
        ),
      );
    }
    for (const c of delta.columns) names.add(c.column);
  }
  const layout = schema ?? jsonSchemaFor(deltas[0]?.table ?? "", [...names].sort());
  const problem = schemaProblem(layout, RESERVED);
  if (problem) return Err(problem);
  if (schema) {
    const unknown = [...names].find((n) => !schema.columns.some((c) => c.name === n));
    if (unknown !== undefined)
      return Err(new SchemaError(`column "${unknown}" is not in the schema of "${schema.table}"`));
  }

  // Record batches of 64k deltas keep the writer's arrays small and reused; Parquet row groups
  // are cut independently of them.
  const arrowSchema = deltaArrowSchema(layout);
  arrowSchema.metadata.set(SCHEMA_METADATA_KEY, JSON.stringify(layout));
  arrowSchema.metadata.set(FORMAT_METADATA_KEY, "deltas-v1");
  const batches = deltaBatchWriter(layout, Math.max(1, Math.min(SLICE, deltas.length)));
  const fill = (writer: IpcWriter): Result<void, SchemaError> => {
    for (let from = 0; from < deltas.length || from === 0; from += SLICE) {
      const to = Math.min(deltas.length, from + SLICE);
      const batch = batches.write(writer, deltas, from, to);
      if (!batch.ok) return batch;
      // The first batch tells how many bytes a delta takes: make room for the rest at once.
      if (from === 0 && to < deltas.length)
        writer.reserve(Math.ceil((writer.size / to) * deltas.length * 1.05) + 4096);
    }
    return Ok(undefined);
  };
  return writeParquetStream(
    arrowSchema,
    4096 + 128 * Math.min(SLICE, deltas.length),
    fill,
    options,
    {
      distinct: [
        "delta_id",
        "row_id",
        ...layout.columns.filter((c) => c.type === "json").map((c) => c.name),
      ],
      rising: ["hlc"],
    },
  );
}
