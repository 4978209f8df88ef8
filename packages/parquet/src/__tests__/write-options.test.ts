import { unwrapOrThrow } from "@lakesync/core";
import { parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import { readParquetToDeltas, writeDeltasToParquet } from "../node.js";
import { delta, todos } from "./fixtures.js";

const many = Array.from({ length: 2_000 }, (_, i) =>
  delta("INSERT", `r${i}`, { title: `todo ${i % 10}` }, BigInt(i) << 20n),
);
const metadataOf = (bytes: Uint8Array) =>
  parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
const chunk = (meta: ReturnType<typeof metadataOf>, group: number, column: string) =>
  meta.row_groups[group]?.columns.find((c) => c.meta_data?.path_in_schema.join(".") === column)
    ?.meta_data;

describe("write options", () => {
  it("row groups have the configured size and every file reads back whole", () => {
    const bytes = unwrapOrThrow(writeDeltasToParquet(many, todos, { rowGroupSize: 500 }));
    const meta = metadataOf(bytes);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([500, 500, 500, 500]);
    expect(unwrapOrThrow(readParquetToDeltas(bytes))).toEqual(many);
  });

  it("each row group records min and max HLC, so engines can skip groups by time", () => {
    const meta = metadataOf(
      unwrapOrThrow(writeDeltasToParquet(many, todos, { rowGroupSize: 1_000 })),
    );
    const ranges = [0, 1].map((g) => chunk(meta, g, "hlc")?.statistics);
    expect(ranges.map((s) => [s?.min_value, s?.max_value])).toEqual([
      [0n, 999n << 20n],
      [1000n << 20n, 1999n << 20n],
    ]);
    expect(chunk(meta, 0, "title")?.statistics?.min_value).toBe("todo 0");
  });

  it("compression is snappy by default, zstd or none on request; zstd is the smallest", () => {
    const sizes: number[] = [];
    for (const [option, codec] of [
      [undefined, "SNAPPY"],
      ["zstd", "ZSTD"],
      ["none", "UNCOMPRESSED"],
    ] as const) {
      const bytes = unwrapOrThrow(
        writeDeltasToParquet(many, todos, option ? { compression: option } : {}),
      );
      expect(chunk(metadataOf(bytes), 0, "delta_id")?.codec).toBe(codec);
      expect(unwrapOrThrow(readParquetToDeltas(bytes))).toEqual(many);
      sizes.push(bytes.byteLength);
    }
    const [snappy = 0, zstd = 0, none = 0] = sizes;
    expect(zstd).toBeLessThan(snappy);
    expect(snappy).toBeLessThan(none);
  });

  it("HLCs are delta-encoded and delta ids are not dictionary-encoded", () => {
    const meta = metadataOf(unwrapOrThrow(writeDeltasToParquet(many, todos)));
    expect(chunk(meta, 0, "hlc")?.encodings).toContain("DELTA_BINARY_PACKED");
    expect(chunk(meta, 0, "delta_id")?.encodings).not.toContain("RLE_DICTIONARY");
  });
});
