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

    it("streams an object in parts; nothing shows until it completes, and it replaces the old one", async () => {
      const lake = await make();
      if (!lake.putObjectStream) return expect.fail("putObjectStream is missing");
      await lake.putObject("s/big.bin", bytes("old"));
      const upload = await lake.putObjectStream("s/big.bin", "application/octet-stream");
      if (!upload.ok) return expect.fail(upload.error.message);
      const chunk = 1024 * 1024;
      const whole = new Uint8Array(12 * chunk + 100);
      for (let i = 0; i < whole.length; i += 997) whole[i] = (i / 997) % 253;
      for (let at = 0; at < whole.length; at += chunk) {
        const wrote = await upload.value.write(whole.slice(at, at + chunk));
        expect(wrote.ok && wrote.value).toBe(undefined);
      }
      const before = await lake.getObject("s/big.bin");
      expect(before.ok && text(before.value)).toBe("old");
      const listed = await lake.listObjects("s/");
      expect(listed.ok && listed.value.map((o) => [o.key, o.size])).toEqual([["s/big.bin", 3]]);
      const done = await upload.value.complete();
      expect(done.ok || done.error.message).toBe(true);
      const back = await lake.getObject("s/big.bin");
      expect(back.ok && back.value.byteLength).toBe(whole.byteLength);
      expect(back.ok && Buffer.compare(Buffer.from(back.value), Buffer.from(whole))).toBe(0);
      expect((await upload.value.write(bytes("late"))).ok).toBe(false);
    }, 60_000);

    it("streams a small object (one part) and an empty one", async () => {
      const lake = await make();
      if (!lake.putObjectStream) return expect.fail("putObjectStream is missing");
      const upload = await lake.putObjectStream("s/small.txt");
      if (!upload.ok) return expect.fail(upload.error.message);
      await upload.value.write(bytes("hello "));
      await upload.value.write(bytes("world"));
      expect((await upload.value.complete()).ok).toBe(true);
      const back = await lake.getObject("s/small.txt");
      expect(back.ok && text(back.value)).toBe("hello world");
      const empty = await lake.putObjectStream("s/empty");
      expect(empty.ok && (await empty.value.complete()).ok).toBe(true);
      const head = await lake.headObject("s/empty");
      expect(head.ok && head.value.size).toBe(0);
    });

    it("an aborted stream leaves nothing behind, and an existing object untouched", async () => {
      const lake = await make();
      if (!lake.putObjectStream) return expect.fail("putObjectStream is missing");
      await lake.putObject("a/kept", bytes("kept"));
      for (const [key, size] of [
        ["a/kept", 10 * 1024 * 1024],
        ["a/new", 100],
      ] as const) {
        const upload = await lake.putObjectStream(key);
        if (!upload.ok) return expect.fail(upload.error.message);
        expect((await upload.value.write(new Uint8Array(size))).ok).toBe(true);
        await upload.value.abort();
        expect((await upload.value.complete()).ok).toBe(false);
      }
      const listed = await lake.listObjects("a/");
      expect(listed.ok && listed.value.map((o) => [o.key, o.size])).toEqual([["a/kept", 4]]);
      const missing = await lake.getObject("a/new");
      expect(!missing.ok && missing.error.code).toBe("OBJECT_NOT_FOUND");
    }, 60_000);

    it("reads byte ranges (clipped at the end); a missing object is OBJECT_NOT_FOUND", async () => {
      const lake = await make();
      if (!lake.getObjectRange) return expect.fail("getObjectRange is missing");
      await lake.putObject("r/x", bytes("0123456789"));
      const mid = await lake.getObjectRange("r/x", 2, 3);
      expect(mid.ok && text(mid.value)).toBe("234");
      const end = await lake.getObjectRange("r/x", 8, 100);
      expect(end.ok && text(end.value)).toBe("89");
      const missing = await lake.getObjectRange("r/none", 0, 1);
      expect(!missing.ok && missing.error.code).toBe("OBJECT_NOT_FOUND");
      const bad = await lake.getObjectRange("r/x", -1, 1);
      expect(!bad.ok && bad.error.code).toBe("INVALID_RANGE");
    });

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
  const stream = inner.putObjectStream?.bind(inner);
  const range = inner.getObjectRange?.bind(inner);
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
    ...(stream ? { putObjectStream: (k, t) => stream(prefix + k, t) } : {}),
    ...(range ? { getObjectRange: (k, o, n) => range(prefix + k, o, n) } : {}),
  };
}
