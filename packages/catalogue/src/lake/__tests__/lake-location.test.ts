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

describe("LakeLocation uploads and range reads without the adapter's optional methods", () => {
  it("buffers an upload and writes it once on completion; slices range reads", async () => {
    const inner = new MemoryAdapter();
    const puts: string[] = [];
    const plain = {
      putObject: (k: string, d: Uint8Array) => {
        puts.push(k);
        return inner.putObject(k, d);
      },
      getObject: (k: string) => inner.getObject(k),
      headObject: (k: string) => inner.headObject(k),
      listObjects: (k: string) => inner.listObjects(k),
      deleteObject: (k: string) => inner.deleteObject(k),
      deleteObjects: (k: readonly string[]) => inner.deleteObjects(k),
    };
    const location = unwrapOrThrow(createLakeLocation("s3://b/p", plain));
    const upload = unwrapOrThrow(await location.upload("s3://b/p/t/x"));
    unwrapOrThrow(await upload.write(new TextEncoder().encode("0123")));
    unwrapOrThrow(await upload.write(new TextEncoder().encode("456789")));
    expect(puts).toEqual([]);
    unwrapOrThrow(await upload.complete());
    expect(puts).toEqual(["t/x"]);
    const range = unwrapOrThrow(await location.readRange("s3://b/p/t/x", 3, 4));
    expect(new TextDecoder().decode(range)).toBe("3456");
    expect(unwrapOrThrow(await location.size("s3://b/p/t/x"))).toBe(10);
    const aborted = unwrapOrThrow(await location.upload("s3://b/p/t/y"));
    await aborted.write(new Uint8Array(3));
    await aborted.abort();
    expect((await location.read("s3://b/p/t/y")).ok).toBe(false);
    expect((await location.upload("s3://elsewhere/x")).ok).toBe(false);
  });
});
