import { fileURLToPath } from "node:url";
import { R2Adapter, type R2BucketLike } from "@lakesync/adapter";
import { lakeConformance, prefixedLake } from "@lakesync/adapter/testing";
import { afterAll, describe } from "vitest";
import { getPlatformProxy } from "wrangler";

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
  // Local R2 (miniflare through the platform proxy) is slow to take thousands of writes on a
  // busy machine and then drops the listing connection; 1200 keys still need two pages.
  lakeConformance(
    "R2Adapter",
    () => {
      run++;
      const inner = new R2Adapter(proxy.env.LAKE);
      return prefixedLake(inner, `run${run}/`);
    },
    undefined,
    { manyKeys: 1_200 },
  );
});
