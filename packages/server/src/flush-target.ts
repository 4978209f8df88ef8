/**
 * @module flush-target
 * Building what the configuration names: the lake adapter, the Iceberg catalogue and the flush
 * target (Iceberg tables by default; delta files, or a database, when configured).
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import {
  FileSystemAdapter,
  type LakeAdapter,
  MySQLAdapter,
  PostgresAdapter,
  S3Adapter,
} from "@lakesync/adapter/node";
import {
  type Catalogue,
  createLakeLocation,
  icebergFlushTarget,
  type LakeLocation,
  RestCatalogue,
} from "@lakesync/catalogue";
import { openSqlCatalogue } from "@lakesync/catalogue/node";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import { databaseTarget, type FlushTarget, lakeFileTarget } from "@lakesync/gateway";
import type { ServerConfig } from "./config.js";

/** A flush target, what it writes to, and how to release it. */
export interface ConfiguredTarget {
  readonly target: FlushTarget;
  /** A line for the start-up banner, e.g. `Iceberg tables in file:///data/lake (SQLite catalogue)`. */
  readonly description: string;
  /** The lake's Iceberg catalogue and warehouse, when flushes commit Iceberg snapshots. */
  readonly lake?: { readonly catalogue: Catalogue; readonly location: LakeLocation };
  readonly close: () => Promise<void>;
}

function lakeAdapter(
  config: ServerConfig,
): { adapter: LakeAdapter; warehouse: string; where: string } | undefined {
  const lake = config.lake;
  if (lake.kind === "fs")
    return {
      adapter: new FileSystemAdapter({ root: lake.dir }),
      warehouse: config.warehouse ?? pathToFileURL(lake.dir).href,
      where: lake.dir,
    };
  if (lake.kind === "s3")
    return {
      adapter: new S3Adapter({
        bucket: lake.bucket,
        region: lake.region,
        forcePathStyle: lake.forcePathStyle,
        ...(lake.endpoint ? { endpoint: lake.endpoint } : {}),
        ...(lake.accessKeyId && lake.secretAccessKey
          ? {
              credentials: { accessKeyId: lake.accessKeyId, secretAccessKey: lake.secretAccessKey },
            }
          : {}),
      }),
      warehouse: config.warehouse ?? `s3://${lake.bucket}`,
      where: `S3 bucket ${lake.bucket}${lake.endpoint ? ` at ${lake.endpoint}` : ""}`,
    };
  return undefined;
}

async function openCatalogue(
  config: ServerConfig,
  adapter: LakeAdapter,
  warehouse: string,
): Promise<Result<{ catalogue: Catalogue; name: string } | undefined, LakeSyncError>> {
  const c = config.catalogue;
  switch (c.kind) {
    case "none":
      return Ok(undefined);
    case "sqlite":
    case "postgres": {
      if (c.kind === "sqlite") {
        // A fresh machine has no data directory yet.
        try {
          await mkdir(dirname(c.path), { recursive: true });
        } catch (cause) {
          return Err(
            new LakeSyncError("INVALID_CONFIG", `cannot create ${dirname(c.path)}`, { cause }),
          );
        }
      }
      const opened = await openSqlCatalogue({
        warehouse,
        adapter,
        ...(c.kind === "sqlite" ? { sqlite: c.path } : { postgres: { connectionString: c.url } }),
      });
      if (!opened.ok) return opened;
      return Ok({
        catalogue: opened.value,
        name: c.kind === "sqlite" ? `SQLite catalogue ${c.path}` : "PostgreSQL catalogue",
      });
    }
    case "rest":
      return Ok({
        catalogue: new RestCatalogue({
          uri: c.uri,
          warehouse,
          ...(c.token === undefined ? {} : { token: c.token }),
        }),
        name: `REST catalogue ${c.uri}`,
      });
  }
}

/** The Iceberg lake of a configuration, opened: its catalogue and the location of its files. */
export interface ServerLake {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  /** e.g. `Iceberg tables in file:///data/lake (SQLite catalogue /data/catalogue.sqlite)`. */
  readonly description: string;
  /** Closes the catalogue. */
  readonly close: () => Promise<void>;
}

/**
 * Opens the Iceberg lake the configuration names, as the server flushes to it: the lake's files
 * (local disk or S3) and its catalogue. The command line's `compact` and `expire` work on it.
 * `Err(INVALID_CONFIG)` when the configuration flushes to no Iceberg lake (a database, delta
 * files, `LAKESYNC_CATALOGUE=none`); the catalogue's errors.
 */
export async function openServerLake(
  config: ServerConfig,
): Promise<Result<ServerLake, LakeSyncError>> {
  const store = lakeAdapter(config);
  if (!store || config.flushFormat === "json" || config.catalogue.kind === "none")
    return Err(
      new LakeSyncError(
        "INVALID_CONFIG",
        `the configuration has no Iceberg lake (LAKESYNC_LAKE=${config.lake.kind}, LAKESYNC_FLUSH_FORMAT=${config.flushFormat}, LAKESYNC_CATALOGUE=${config.catalogue.kind})`,
      ),
    );
  const location = createLakeLocation(store.warehouse, store.adapter);
  if (!location.ok) return location;
  const opened = await openCatalogue(config, store.adapter, store.warehouse);
  if (!opened.ok) return opened;
  if (!opened.value)
    return Err(new LakeSyncError("INVALID_CONFIG", "the configuration names no catalogue"));
  const { catalogue, name } = opened.value;
  return Ok({
    catalogue,
    location: location.value,
    description: `Iceberg tables in ${store.warehouse} (${name})`,
    close: () => catalogue.close(),
  });
}

/**
 * The target for the configuration: a database (`LAKESYNC_LAKE=postgres|mysql`); versioned JSON
 * files (`LAKESYNC_FLUSH_FORMAT=json`) or Parquet delta files (`LAKESYNC_CATALOGUE=none`) in the
 * lake; otherwise (the default) Iceberg tables in the lake, committed to the catalogue.
 */
export async function createFlushTarget(
  config: ServerConfig,
): Promise<Result<ConfiguredTarget, LakeSyncError>> {
  const noop = async () => {};
  const lake = config.lake;
  if (lake.kind === "postgres" || lake.kind === "mysql") {
    const adapter =
      lake.kind === "postgres"
        ? new PostgresAdapter({ connectionString: lake.url })
        : new MySQLAdapter({ uri: lake.url });
    const name = lake.kind === "postgres" ? "PostgreSQL" : "MySQL";
    return Ok({
      target: databaseTarget(adapter, name),
      description: name,
      close: () => adapter.close(),
    });
  }
  const store = lakeAdapter(config);
  if (!store) return Err(new LakeSyncError("INVALID_CONFIG", "no lake is configured"));
  if (config.flushFormat === "json" || config.catalogue.kind === "none")
    return Ok({
      target: lakeFileTarget(store.adapter, { format: config.flushFormat }),
      description: `${store.where} as ${config.flushFormat} delta files`,
      close: noop,
    });
  const opened = await openServerLake(config);
  if (!opened.ok) return opened;
  const { catalogue, location, description, close } = opened.value;
  const namespace = config.namespace;
  return Ok({
    target: icebergFlushTarget({
      catalogue,
      location,
      buckets: config.icebergBuckets,
      ...(namespace === undefined ? {} : { namespace: [namespace] }),
    }),
    description,
    lake: { catalogue, location },
    close,
  });
}
