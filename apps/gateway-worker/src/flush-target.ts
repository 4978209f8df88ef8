/**
 * @module flush-target
 * Where the Worker flushes: Iceberg tables committed through a REST catalogue (R2 Data Catalog
 * in production) when one is configured, otherwise Parquet delta files in R2.
 */
import { R2Adapter } from "@lakesync/adapter";
import {
  type Catalogue,
  createLakeLocation,
  icebergFlushTarget,
  type LakeLocation,
  RestCatalogue,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type FlushTarget, lakeFileTarget } from "@lakesync/gateway";
import type { Env } from "./env.js";

/** The Iceberg lake of the Worker: its REST catalogue and the R2 warehouse. */
export interface WorkerLake {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
}

/**
 * The Iceberg lake `CATALOGUE_URI` names (with `CATALOGUE_WAREHOUSE`, the warehouse URI of the
 * R2 bucket, e.g. `s3://lakesync-lake` or R2 Data Catalog's `<account>_<bucket>` location;
 * `CATALOGUE_TOKEN` as the bearer token), or `undefined` without one. `Err` for a warehouse URI
 * that cannot be parsed.
 */
export function workerLake(env: Env): Result<WorkerLake | undefined, LakeSyncError> {
  if (!env.CATALOGUE_URI) return Ok(undefined);
  const warehouse = env.CATALOGUE_WAREHOUSE ?? "s3://lakesync-lake";
  const location = createLakeLocation(warehouse, new R2Adapter(env.LAKE));
  if (!location.ok) return location;
  const catalogue = new RestCatalogue({
    uri: env.CATALOGUE_URI,
    warehouse,
    ...(env.CATALOGUE_TOKEN ? { token: env.CATALOGUE_TOKEN } : {}),
  });
  return Ok({ catalogue, location: location.value });
}

/**
 * With an Iceberg lake ({@link workerLake}) every flush writes its Parquet files to R2 and
 * commits them to the REST catalogue; without one, each flush is one Parquet file of deltas in R2.
 */
export function workerFlushTarget(env: Env): Result<FlushTarget, LakeSyncError> {
  const lake = workerLake(env);
  if (!lake.ok) return lake;
  if (!lake.value)
    return Ok(lakeFileTarget(new R2Adapter(env.LAKE), { description: "R2 (delta files)" }));
  return Ok(icebergFlushTarget(lake.value));
}
