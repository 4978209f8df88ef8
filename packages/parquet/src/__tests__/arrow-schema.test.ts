import { HLC_MAX, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { type Schema, tableFromIPC } from "apache-arrow";
import * as parquetWasm from "parquet-wasm/node";
import { describe, expect, it } from "vitest";
import {
  deltaArrowSchema,
  readParquetToDeltas,
  rowsArrowSchema,
  writeDeltasToParquet,
  writeRowsToParquet,
} from "../node.js";
import { sample, todos } from "./fixtures.js";

const shape = (schema: Schema) =>
  schema.fields.map((f) => `${f.name}: ${String(f.type)}${f.nullable ? "" : " not null"}`);
const schemaOf = (bytes: Uint8Array) =>
  tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream()).schema;

describe("TableSchema to Arrow", () => {
  it("delta files: non-null metadata columns with a UInt64 hlc, then the typed user columns", () => {
    expect(shape(deltaArrowSchema(todos))).toEqual([
      "op: Utf8 not null",
      "table: Utf8 not null",
      "row_id: Utf8 not null",
      "client_id: Utf8 not null",
      "hlc: Uint64 not null",
      "delta_id: Utf8 not null",
      "_present: List<Utf8> not null",
      "title: Utf8",
      "priority: Float64",
      "completed: Bool",
      "meta: Utf8",
    ]);
  });

  it("rows files: a non-null id, then the typed columns", () => {
    expect(shape(rowsArrowSchema(todos))).toEqual([
      "id: Utf8 not null",
      "title: Utf8",
      "priority: Float64",
      "completed: Bool",
      "meta: Utf8",
    ]);
  });

  it("written files carry exactly that schema, plus the TableSchema in their metadata", () => {
    const deltas = schemaOf(unwrapOrThrow(writeDeltasToParquet(sample, todos)));
    const rows = schemaOf(unwrapOrThrow(writeRowsToParquet([], todos)));
    expect(shape(deltas)).toEqual(shape(deltaArrowSchema(todos)));
    expect(shape(rows)).toEqual(shape(rowsArrowSchema(todos)));
    expect(JSON.parse(deltas.metadata.get("lakesync.schema") ?? "")).toEqual(todos);
    expect(deltas.metadata.get("lakesync.format")).toBe("deltas-v1");
  });

  it("more than one record batch (over 64k deltas) is written and read back in order", () => {
    const many: RowDelta[] = Array.from({ length: 70_000 }, (_, i) => ({
      op: "UPDATE",
      table: "todos",
      rowId: `r${i}`,
      clientId: "c",
      hlc: i === 69_999 ? HLC_MAX : ((BigInt(i) << 16n) as RowDelta["hlc"]),
      deltaId: i.toString(16).padStart(64, "0"),
      columns: [{ column: "priority", value: i }],
    }));
    expect(
      unwrapOrThrow(readParquetToDeltas(unwrapOrThrow(writeDeltasToParquet(many, todos)))),
    ).toEqual(many);
  });

  it("a schema naming a column twice is a SchemaError", () => {
    const twice = {
      table: "t",
      columns: [
        { name: "a", type: "string" as const },
        { name: "a", type: "number" as const },
      ],
    };
    const result = writeDeltasToParquet([], twice);
    expect(!result.ok && result.error.message).toBe(
      'column "a" appears twice in the schema of "t"',
    );
    expect(writeRowsToParquet([], twice).ok).toBe(false);
  });
});
