import { Err, FlushError, Ok, unwrapOrThrow } from "@lakesync/core";
import { tableFromIPC } from "apache-arrow";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { readParquet } from "parquet-wasm/node";
import { describe, expect, it } from "vitest";
import { type IcebergColumn, type IcebergColumnSpec, IcebergParquetStream } from "../node.js";

const specs: IcebergColumnSpec[] = [
  { name: "row_id", fieldId: 1, type: "string", required: true },
  { name: "n", fieldId: 2, type: "long", required: false },
  { name: "ratio", fieldId: 5, type: "double", required: false },
];

function group(start: number, count: number): IcebergColumn[] {
  const ids = Array.from({ length: count }, (_, i) => `r${String(start + i).padStart(7, "0")}`);
  return [
    { ...(specs[0] as IcebergColumnSpec), values: ids },
    {
      ...(specs[1] as IcebergColumnSpec),
      values: ids.map((_, i) => ((start + i) % 7 === 0 ? null : BigInt(start + i))),
    },
    { ...(specs[2] as IcebergColumnSpec), values: ids.map((_, i) => (start + i) / 4) },
  ];
}

function collector() {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    sink: async (bytes: Uint8Array) => {
      chunks.push(bytes);
      return Ok(undefined);
    },
    file(): ArrayBuffer {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out.buffer;
    },
  };
}

describe("IcebergParquetStream", () => {
  it("streams row groups to the sink as it goes; hyparquet and parquet-wasm read the file", async () => {
    const out = collector();
    const stream = unwrapOrThrow(
      IcebergParquetStream.open(specs, out.sink, { rowGroupSize: 1000 }),
    );
    for (let g = 0; g < 5; g++) {
      const chunksBefore = out.chunks.length;
      expect((await stream.writeRowGroup(group(g * 1000, 1000), 1000)).ok).toBe(true);
      // Each full row group reaches the sink before the next call.
      if (g > 0) expect(out.chunks.length).toBeGreaterThan(chunksBefore);
    }
    const done = unwrapOrThrow(await stream.finish());
    const file = out.file();
    expect(done.bytesWritten).toBe(file.byteLength);
    expect(done.rowCount).toBe(5000);
    const meta = parquetMetadata(file);
    expect(meta.row_groups.length).toBe(5);
    expect(Number(meta.num_rows)).toBe(5000);
    expect(meta.schema.filter((e) => e.field_id !== undefined).map((e) => e.field_id)).toEqual([
      1, 2, 5,
    ]);
    // The footer returned is the file's own.
    expect(parquetMetadata(done.footer.slice().buffer).row_groups.length).toBe(5);
    const rows = await parquetReadObjects({ file });
    expect(rows[4321]).toEqual({ row_id: "r0004321", n: 4321n, ratio: 4321 / 4 });
    expect(rows[4319]?.n).toBeNull();
    const wasm = tableFromIPC(readParquet(new Uint8Array(file)).intoIPCStream());
    expect(wasm.numRows).toBe(5000);
    expect(String(wasm.getChild("row_id")?.get(4999))).toBe("r0004999");
    expect(wasm.schema.fields.map((f) => f.metadata.get("PARQUET:field_id"))).toEqual([
      "1",
      "2",
      "5",
    ]);
  });

  it("splits large calls into row groups of at most rowGroupSize rows", async () => {
    const out = collector();
    const stream = unwrapOrThrow(IcebergParquetStream.open(specs, out.sink, { rowGroupSize: 300 }));
    unwrapOrThrow(await stream.writeRowGroup(group(0, 1000), 1000));
    unwrapOrThrow(await stream.writeRowGroup(group(1000, 200), 200));
    unwrapOrThrow(await stream.finish());
    const meta = parquetMetadata(out.file());
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([300, 300, 300, 300]);
  });

  it("writes a file without rows", async () => {
    const out = collector();
    const stream = unwrapOrThrow(IcebergParquetStream.open(specs, out.sink));
    const done = unwrapOrThrow(await stream.finish());
    expect(Number(parquetMetadata(out.file()).num_rows)).toBe(0);
    expect(done.bytesWritten).toBe(out.file().byteLength);
  });

  it("refuses columns that are not the file's, and values that do not fit", async () => {
    const out = collector();
    const stream = unwrapOrThrow(IcebergParquetStream.open(specs, out.sink));
    const wrong = group(0, 2).slice(0, 2);
    expect((await stream.writeRowGroup(wrong, 2)).ok).toBe(false);
    const bad = group(0, 2);
    bad[0] = { ...(specs[0] as IcebergColumnSpec), values: ["a", null] };
    const refused = await stream.writeRowGroup(bad, 2);
    expect(!refused.ok && refused.error.name).toBe("SchemaError");
    // The stream is still usable after a refused group.
    unwrapOrThrow(await stream.writeRowGroup(group(0, 2), 2));
    unwrapOrThrow(await stream.finish());
    expect(Number(parquetMetadata(out.file()).num_rows)).toBe(2);
  });

  it("a failing sink fails the stream with the sink's error", async () => {
    let calls = 0;
    const stream = unwrapOrThrow(
      IcebergParquetStream.open(
        specs,
        async () => (++calls >= 2 ? Err(new FlushError("disk full")) : Ok(undefined)),
        { rowGroupSize: 100 },
      ),
    );
    let failed: string | undefined;
    for (let g = 0; g < 10 && failed === undefined; g++) {
      const wrote = await stream.writeRowGroup(group(g * 100, 100), 100);
      if (!wrote.ok) failed = wrote.error.message;
    }
    if (failed === undefined) {
      const done = await stream.finish();
      failed = done.ok ? undefined : done.error.message;
    }
    expect(failed).toBe("disk full");
  });

  it("abort stops the stream", async () => {
    const out = collector();
    const stream = unwrapOrThrow(IcebergParquetStream.open(specs, out.sink, { rowGroupSize: 100 }));
    unwrapOrThrow(await stream.writeRowGroup(group(0, 150), 150));
    await stream.abort();
    expect((await stream.finish()).ok).toBe(false);
    expect((await stream.writeRowGroup(group(0, 1), 1)).ok).toBe(false);
  });
});
