import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  readParquetToDeltas,
  readParquetToRows,
  writeDeltasToParquet,
  writeRowsToParquet,
} from "../node.js";
import { delta, sample, todos } from "./fixtures.js";

const file = unwrapOrThrow(writeDeltasToParquet(sample, todos));

describe("bad input", () => {
  it("random bytes are a SchemaError, never a throw", () => {
    for (const bytes of [
      new Uint8Array(),
      new Uint8Array([1, 2, 3]),
      new TextEncoder().encode("PAR1 not really PAR1"),
    ]) {
      const result = readParquetToDeltas(bytes);
      expect(!result.ok && result.error.code).toBe("SCHEMA_MISMATCH");
    }
  });

  it("a truncated file is an error", () => {
    for (const cut of [4, 64, file.byteLength / 2, file.byteLength - 1]) {
      expect(readParquetToDeltas(file.slice(0, Math.floor(cut))).ok).toBe(false);
    }
  });

  it("a Parquet file with another layout is refused with the missing columns named", () => {
    const rows = unwrapOrThrow(writeRowsToParquet([{ id: "a", values: { title: "x" } }], todos));
    const result = readParquetToDeltas(rows);
    expect(!result.ok && result.error.message).toMatch(
      /not a LakeSync delta file: missing column\(s\) op, table, row_id/,
    );
  });

  it("reading with a schema whose types the file does not hold is a SchemaError", () => {
    const wrong = { table: "todos", columns: [{ name: "title", type: "number" as const }] };
    const rows = unwrapOrThrow(writeRowsToParquet([{ id: "a", values: { title: "x" } }], todos));
    const fromRows = readParquetToRows(rows, { schema: wrong });
    const fromDeltas = readParquetToDeltas(file, wrong);
    expect(!fromRows.ok && fromRows.error.message).toBe(
      "todos.title is declared number but the file holds string",
    );
    expect(!fromDeltas.ok && fromDeltas.error.code).toBe("SCHEMA_MISMATCH");
  });

  it("values JSON cannot hold, and ids or delta metadata that are not text, are SchemaErrors", () => {
    const meta = [{ column: "meta", value: 1n as never }];
    const bigint = writeDeltasToParquet([{ ...delta("INSERT", "t1", {}), columns: meta }], todos);
    const rowId = writeDeltasToParquet(
      [{ ...delta("INSERT", "t1", {}), rowId: 7 as never }],
      todos,
    );
    const id = writeRowsToParquet([{ id: 7 as never, values: {} }], todos);
    for (const result of [bigint, rowId, id])
      expect(!result.ok && result.error.code).toBe("SCHEMA_MISMATCH");
  });

  it("mutated files never make a reader throw (fuzz)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(file.byteLength - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const mutated = file.slice();
          for (const [at, byte] of edits) mutated[at] = byte;
          const deltas = readParquetToDeltas(mutated);
          const rows = readParquetToRows(mutated);
          expect(typeof deltas.ok).toBe("boolean");
          expect(typeof rows.ok).toBe("boolean");
        },
      ),
      { numRuns: 400 },
    );
  });
});
