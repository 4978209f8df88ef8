import "@lakesync/parquet/node";
import { MemoryAdapter } from "@lakesync/adapter";
import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { todoSchema } from "../../__tests__/support/fixtures.js";
import { createLakeLocation } from "../../lake/lake-location.js";
import { DataFileStream } from "../data-file-stream.js";
import { writeDataFile } from "../data-file-writer.js";

const row = fc.record({
  row_id: fc.string({ minLength: 1, maxLength: 24 }),
  title: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
  done: fc.option(fc.boolean(), { nil: null }),
  priority: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
  score: fc.option(fc.double(), { nil: null }),
});

/** Streams `groups` into one file kept in memory; returns its bytes and description. */
async function stream(groups: readonly (readonly Record<string, unknown>[])[], rowGroupSize = 64) {
  const chunks: Uint8Array[] = [];
  const file = unwrapOrThrow(
    DataFileStream.open({
      schema: todoSchema,
      filePath: "memory://lake/t/data/x.parquet",
      partition: {},
      parquet: { rowGroupSize },
      sink: async (bytes) => {
        chunks.push(bytes);
        return { ok: true, value: undefined };
      },
    }),
  );
  for (const group of groups) unwrapOrThrow(await file.writeRows(group));
  const done = unwrapOrThrow(await file.finish());
  return { bytes: Buffer.concat(chunks), ...done };
}

describe("DataFileStream", () => {
  it("describes a file exactly as writeDataFile does for the same rows, however they are grouped", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(row, { maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        async (groups) => {
          const all = groups.flat();
          const whole = unwrapOrThrow(
            writeDataFile({
              schema: todoSchema,
              rows: all,
              filePath: "memory://lake/t/data/x.parquet",
              partition: {},
            }),
          );
          const streamed = await stream(groups);
          const { fileSizeInBytes: _a, ...expected } = whole.dataFile;
          const { fileSizeInBytes, ...actual } = streamed.dataFile;
          expect(actual).toEqual(expected);
          expect(fileSizeInBytes).toBe(streamed.bytes.length);
          const rows = await parquetReadObjects({
            file: streamed.bytes.buffer.slice(
              streamed.bytes.byteOffset,
              streamed.bytes.byteOffset + streamed.bytes.length,
            ),
          });
          expect(rows.map((r) => r.row_id)).toEqual(all.map((r) => r.row_id));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 25) },
    );
  });

  it("writes several row groups with field ids, through a lake upload", async () => {
    const location = unwrapOrThrow(createLakeLocation("memory://lake", new MemoryAdapter()));
    const uri = "memory://lake/t/data/big.parquet";
    const upload = unwrapOrThrow(await location.upload(uri));
    const file = unwrapOrThrow(
      DataFileStream.open({
        schema: todoSchema,
        filePath: uri,
        partition: {},
        parquet: { rowGroupSize: 1000 },
        sink: (bytes) => upload.write(bytes),
      }),
    );
    for (let g = 0; g < 4; g++)
      unwrapOrThrow(
        await file.writeRows(
          Array.from({ length: 1000 }, (_, i) => ({
            row_id: `r${g}-${i}`,
            title: `todo ${i}`,
            priority: i,
          })),
        ),
      );
    const done = unwrapOrThrow(await file.finish());
    unwrapOrThrow(await upload.complete());
    expect(done.rowGroups).toBe(4);
    expect(done.dataFile.recordCount).toBe(4000);
    const stored = unwrapOrThrow(await location.read(uri));
    expect(stored.length).toBe(done.dataFile.fileSizeInBytes);
    const meta = parquetMetadata(stored.slice().buffer);
    expect(meta.schema.slice(1).map((e) => e.field_id)).toEqual([1, 2, 3, 4, 5]);
    const tail = unwrapOrThrow(await location.readRange(uri, stored.length - 4, 100));
    expect(new TextDecoder().decode(tail)).toBe("PAR1");
    expect(unwrapOrThrow(await location.size(uri))).toBe(stored.length);
  });

  it("refuses rows that do not fit, and keeps going", async () => {
    const chunks: Uint8Array[] = [];
    const file = unwrapOrThrow(
      DataFileStream.open({
        schema: todoSchema,
        filePath: "memory://lake/t/data/x.parquet",
        partition: {},
        sink: async (bytes) => {
          chunks.push(bytes);
          return { ok: true, value: undefined };
        },
      }),
    );
    const bad = await file.writeRows([{ row_id: null }]);
    expect(!bad.ok && bad.error.name).toBe("SchemaError");
    unwrapOrThrow(await file.writeRows([{ row_id: "a", priority: 1 }]));
    const done = unwrapOrThrow(await file.finish());
    expect(done.dataFile.recordCount).toBe(1);
    expect(done.dataFile.nullValueCounts?.get(1)).toBe(0);
  });
});
