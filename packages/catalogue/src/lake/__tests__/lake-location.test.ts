import { MemoryAdapter } from "@lakesync/adapter";
import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { createLakeLocation } from "../lake-location.js";

describe("LakeLocation", () => {
  it("maps URIs under the warehouse to adapter keys and back", () => {
    const location = unwrapOrThrow(createLakeLocation("s3://bucket/prefix/", new MemoryAdapter()));
    expect(location.warehouse).toBe("s3://bucket/prefix");
    expect(unwrapOrThrow(location.keyOf("s3://bucket/prefix/ns/t/metadata/a.json"))).toBe(
      "ns/t/metadata/a.json",
    );
    expect(location.uriOf("ns/t/data/b.parquet")).toBe("s3://bucket/prefix/ns/t/data/b.parquet");
    expect(location.tableLocation(["ns"], "t")).toBe("s3://bucket/prefix/ns/t");
    const files = unwrapOrThrow(createLakeLocation("file:///srv/lake", new MemoryAdapter()));
    expect(unwrapOrThrow(files.keyOf("file:///srv/lake/a/b"))).toBe("a/b");
  });

  it("refuses URIs outside the warehouse, lookalike prefixes and escaping paths", () => {
    const location = unwrapOrThrow(createLakeLocation("s3://bucket/prefix", new MemoryAdapter()));
    for (const uri of [
      "s3://bucket/other/x",
      "s3://bucket/prefix-evil/x",
      "s3://bucket/prefix",
      "s3://bucket/prefix/../secret",
      "s3://bucket/prefix/a//b",
      "file:///etc/passwd",
    ]) {
      const key = location.keyOf(uri);
      expect(key.ok || key.error.code).toBe("INVALID_INPUT");
    }
  });

  it("refuses a warehouse that is not a URI", () => {
    for (const warehouse of ["/srv/lake", "lake", "s3://", "s3://bucket?x=1"]) {
      const made = createLakeLocation(warehouse, new MemoryAdapter());
      expect(made.ok || made.error.code).toBe("INVALID_INPUT");
    }
  });

  it("reads, writes and deletes through the adapter", async () => {
    const adapter = new MemoryAdapter();
    const location = unwrapOrThrow(createLakeLocation("memory://lake", adapter));
    unwrapOrThrow(await location.write("memory://lake/t/x.bin", Uint8Array.of(1, 2)));
    expect(unwrapOrThrow(await adapter.getObject("t/x.bin"))).toEqual(Uint8Array.of(1, 2));
    expect(unwrapOrThrow(await location.read("memory://lake/t/x.bin"))).toEqual(
      Uint8Array.of(1, 2),
    );
    unwrapOrThrow(await location.delete("memory://lake/t/x.bin"));
    const missing = await location.read("memory://lake/t/x.bin");
    expect(missing.ok || missing.error.code).toBe("CATALOGUE_UNAVAILABLE");
    expect((await location.write("memory://elsewhere/x", Uint8Array.of(1))).ok).toBe(false);
  });
});
