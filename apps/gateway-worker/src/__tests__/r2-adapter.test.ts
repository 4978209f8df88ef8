import { fileURLToPath } from "node:url";
import { R2Adapter, type R2BucketLike } from "@lakesync/adapter";
import { afterAll, describe } from "vitest";
import { getPlatformProxy } from "wrangler";
import { lakeConformance } from "../../../../packages/adapter/src/__tests__/lake-conformance.js";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

describe("R2Adapter against local R2 in workerd", async () => {
  const proxy = await getPlatformProxy<{ LAKE: R2BucketLike }>({
    configPath: fileURLToPath(new URL("./r2.wrangler.jsonc", import.meta.url)),
    persist: false,
  });
  afterAll(async () => {
    await proxy.dispose();
  });
  let run = 0;
  lakeConformance("R2Adapter", () => {
    run++;
    const inner = new R2Adapter(proxy.env.LAKE);
    const p = `run${run}/`;
    const bad = (k: string) => k === "" || k.startsWith("/") || k.startsWith("..");
    return {
      putObject: (k, d, t) => (bad(k) ? inner.putObject(k, d, t) : inner.putObject(p + k, d, t)),
      getObject: (k) => inner.getObject(p + k),
      headObject: (k) => inner.headObject(p + k),
      listObjects: async (k) => {
        const r = await inner.listObjects(p + k);
        return r.ok
          ? { ok: true, value: r.value.map((o) => ({ ...o, key: o.key.slice(p.length) })) }
          : r;
      },
      deleteObject: (k) => inner.deleteObject(p + k),
      deleteObjects: (ks) => inner.deleteObjects(ks.map((k) => p + k)),
    };
  });
});
