/**
 * @module flush-target
 * Where the Worker flushes: Iceberg tables committed through a REST catalogue (R2 Data Catalog
 * in production) when one is configured, otherwise Parquet delta files in R2.
 */
import { R2Adapter } from "@lakesync/adapter";
import { createLakeLocation, icebergFlushTarget, RestCatalogue } from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type FlushTarget, lakeFileTarget } from "@lakesync/gateway";
import type { Env } from "./env.js";

/**
 * With `CATALOGUE_URI` (and `CATALOGUE_WAREHOUSE`, the warehouse URI of the R2 bucket, e.g.
 * `s3://lakesync-lake` or R2 Data Catalog's `<account>_<bucket>` location; `CATALOGUE_TOKEN` as
 * the bearer token), every flush writes its Parquet files to R2 and commits them to the REST
 * catalogue; without it, each flush is one Parquet file of deltas in R2.
 */
export function workerFlushTarget(env: Env): Result<FlushTarget, LakeSyncError> {
  const adapter = new R2Adapter(env.LAKE);
  if (!env.CATALOGUE_URI) return Ok(lakeFileTarget(adapter, { description: "R2 (delta files)" }));
  const warehouse = env.CATALOGUE_WAREHOUSE ?? "s3://lakesync-lake";
  const location = createLakeLocation(warehouse, adapter);
  if (!location.ok) return location;
  const catalogue = new RestCatalogue({
    uri: env.CATALOGUE_URI,
    warehouse,
    ...(env.CATALOGUE_TOKEN ? { token: env.CATALOGUE_TOKEN } : {}),
  });
  return Ok(icebergFlushTarget({ catalogue, location: location.value }));
}
