import { describe, expect, it } from "vitest";
import type { LakeAdapter } from "../lake/lake-adapter.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** Options of {@link lakeConformance}. */
export interface LakeConformanceOptions {
  /**
   * How many keys the pagination test writes (more than 1000, so that listing has to follow a
   * cursor). Defaults to 2500; emulated backends that are slow to write may use fewer.
   */
  readonly manyKeys?: number;
}

/**
 * The behaviour every LakeAdapter must have. `make` gives a fresh, empty adapter; `broken`
 * gives one whose backend cannot be reached.
 */
export function lakeConformance(
  name: string,
  make: () => Promise<LakeAdapter> | LakeAdapter,
  broken?: () => LakeAdapter,
  options: LakeConformanceOptions = {},
): void {
  describe(`${name} (LakeAdapter conformance)`, () => {
    it("round-trips bytes, and overwrites", async () => {
      const lake = await make();
      expect((await lake.putObject("a/b/c.json", bytes("one"), "application/json")).ok).toBe(true);
      const first = await lake.getObject("a/b/c.json");
      expect(first.ok && text(first.value)).toBe("one");
      await lake.putObject("a/b/c.json", bytes("two ✓"));
      const second = await lake.getObject("a/b/c.json");
      expect(second.ok && text(second.value)).toBe("two ✓");
    });

    it("a missing object is an OBJECT_NOT_FOUND error, for get and head", async () => {
      const lake = await make();
      const get = await lake.getObject("nope/missing.bin");
      expect(!get.ok && get.error.code).toBe("OBJECT_NOT_FOUND");
      const head = await lake.headObject("nope/missing.bin");
      expect(!head.ok && head.error.code).toBe("OBJECT_NOT_FOUND");
    });

    it("head reports size and modification time", async () => {
      const lake = await make();
      const before = Date.now() - 5_000;
      await lake.putObject("h/x.bin", new Uint8Array(1234));
      const head = await lake.headObject("h/x.bin");
      expect(head.ok && head.value.size).toBe(1234);
      expect(head.ok && head.value.lastModified.getTime()).toBeGreaterThan(before);
    });

    it("lists by prefix, sorted, with sizes", async () => {
      const lake = await make();
      for (const key of [
        "deltas/2026-01-02/g/2.parquet",
        "deltas/2026-01-01/g/1.parquet",
        "base/t/1.parquet",
        "deltas-other/x",
      ])
        await lake.putObject(key, bytes(key));
      const listed = await lake.listObjects("deltas/");
      expect(listed.ok && listed.value.map((o) => o.key)).toEqual([
        "deltas/2026-01-01/g/1.parquet",
        "deltas/2026-01-02/g/2.parquet",
      ]);
      expect(listed.ok && listed.value[0]?.size).toBe("deltas/2026-01-01/g/1.parquet".length);
      const partial = await lake.listObjects("deltas/2026-01-0");
      expect(partial.ok && partial.value).toHaveLength(2);
      const none = await lake.listObjects("nothing/");
      expect(none.ok && none.value).toEqual([]);
    });

    it("deletes one object (then get fails) and many in a batch; deleting a missing one succeeds", async () => {
      const lake = await make();
      await lake.putObject("d/1", bytes("1"));
      expect((await lake.deleteObject("d/1")).ok).toBe(true);
      expect((await lake.getObject("d/1")).ok).toBe(false);
      expect((await lake.deleteObject("d/1")).ok).toBe(true);
      for (let i = 0; i < 5; i++) await lake.putObject(`batch/${i}`, bytes(String(i)));
      expect(
        (await lake.deleteObjects(["batch/0", "batch/1", "batch/2", "batch/missing"])).ok,
      ).toBe(true);
      const left = await lake.listObjects("batch/");
      expect(left.ok && left.value.map((o) => o.key)).toEqual(["batch/3", "batch/4"]);
    });

    it("refuses keys that could escape or are malformed, with INVALID_KEY", async () => {
      const lake = await make();
      for (const key of ["../escape", "a/../../b", "/abs", "nul\u0000byte", "", "a//b", "a\\b"]) {
        const put = await lake.putObject(key, bytes("x"));
        expect(!put.ok && put.error.code).toBe("INVALID_KEY");
      }
    });

    it("lists past 1000 keys (pagination) and batch-deletes them", async () => {
      const lake = await make();
      const count = Math.max(1_001, options.manyKeys ?? 2_500);
      const keys = Array.from({ length: count }, (_, i) => `many/${String(i).padStart(5, "0")}`);
      for (let i = 0; i < keys.length; i += 100) {
        const puts = await Promise.all(
          keys.slice(i, i + 100).map((k) => lake.putObject(k, bytes("x"))),
        );
        expect(puts.filter((p) => !p.ok).map((p) => !p.ok && p.error.message)).toEqual([]);
      }
      const listed = await lake.listObjects("many/");
      if (!listed.ok)
        expect.fail(
          `listing failed: ${listed.error.message} (${String((listed.error.cause as { cause?: unknown })?.cause ?? "")})`,
        );
      expect(listed.value.map((o) => o.key)).toEqual(keys);
      expect((await lake.deleteObjects(keys)).ok).toBe(true);
      const after = await lake.listObjects("many/");
      expect(after.ok && after.value).toEqual([]);
    }, 120_000);

    it("stores and returns a 10 MB object intact", async () => {
      const lake = await make();
      const big = new Uint8Array(10 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
      expect((await lake.putObject("big/10mb.bin", big)).ok).toBe(true);
      const back = await lake.getObject("big/10mb.bin");
      expect(back.ok && back.value.byteLength).toBe(big.byteLength);
      expect(back.ok && Buffer.compare(Buffer.from(back.value), Buffer.from(big))).toBe(0);
    }, 60_000);

    if (broken) {
      it("a backend that cannot be reached gives an AdapterError, not a throw", async () => {
        const lake = broken();
        const put = await lake.putObject("x", bytes("x"));
        expect(!put.ok && put.error.name).toMatch(/AdapterError/);
        const get = await lake.getObject("x");
        expect(!get.ok && get.error.name).toMatch(/AdapterError|ObjectNotFoundError/);
      });
    }
  });
}

/**
 * A view of `inner` under a key prefix, so each conformance test gets a fresh key space in a
 * shared bucket. Keys the adapter must refuse are passed through unprefixed, so they still fail.
 */
export function prefixedLake(inner: LakeAdapter, prefix: string): LakeAdapter {
  const bad = (k: string) => k === "" || k.startsWith("/") || k.startsWith("..");
  return {
    putObject: (k, d, t) => (bad(k) ? inner.putObject(k, d, t) : inner.putObject(prefix + k, d, t)),
    getObject: (k) => inner.getObject(prefix + k),
    headObject: (k) => inner.headObject(prefix + k),
    listObjects: async (k) => {
      const r = await inner.listObjects(prefix + k);
      return r.ok
        ? { ok: true, value: r.value.map((o) => ({ ...o, key: o.key.slice(prefix.length) })) }
        : r;
    },
    deleteObject: (k) => inner.deleteObject(prefix + k),
    deleteObjects: (ks) => inner.deleteObjects(ks.map((k) => prefix + k)),
  };
}
