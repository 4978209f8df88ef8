/**
 * @module config
 * The Node gateway's configuration: defaults, a JSON config file, then environment variables.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import { validateGatewayId } from "@lakesync/gateway";
import { type GatewayStoreOptions, gatewayStoreConfig } from "./gateway-store.js";
import { type LakeCompactionConfig, lakeCompactionConfig } from "./lake-maintenance.js";

/** Which backend flushed deltas land in. */
export type LakeConfig =
  | { readonly kind: "fs"; readonly dir: string }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly endpoint?: string;
      readonly region: string;
      readonly accessKeyId?: string;
      readonly secretAccessKey?: string;
      readonly forcePathStyle: boolean;
    }
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "mysql"; readonly url: string };

/** Where Iceberg table metadata is committed (the lake's tables), or `none` for plain files. */
export type CatalogueConfig =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "rest"; readonly uri: string; readonly token?: string }
  | { readonly kind: "none" };

/** Everything the server needs to start. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Where each gateway's store (and the default file-system lake) live. */
  readonly dataDir: string;
  /** How each gateway's SQLite store commits and how many row states it keeps in memory. */
  readonly store: GatewayStoreOptions;
  readonly lake: LakeConfig;
  readonly flushFormat: "json" | "parquet";
  /** The Iceberg catalogue of the lake (SQLite in the data directory by default). */
  readonly catalogue: CatalogueConfig;
  /** The warehouse URI of the Iceberg tables (derived from the lake when not set). */
  readonly warehouse?: string;
  /** The Iceberg namespace of every gateway's tables; by default each gateway's id. */
  readonly namespace?: string;
  /** Buckets of the `row_id` partition spec of new Iceberg tables. */
  readonly icebergBuckets: number;
  /** Compaction and maintenance of the Iceberg lake (on by default; see `lake-maintenance`). */
  readonly compaction?: LakeCompactionConfig;
  readonly flushMaxBytes: number;
  readonly flushMaxAgeMs: number;
  readonly jwtSecret?: string;
  readonly jwksUrl?: string;
  /** True when the built-in development secret is in use (never in production). */
  readonly devSecret: boolean;
  readonly corsOrigins: readonly string[];
  readonly maxBodyBytes: number;
  /** Largest value of one column in bytes (413 above). */
  readonly maxValueBytes: number;
  /**
   * The gateway ids this server serves without an admin creating them first (development mode
   * adds `todos`). Any other id is a JSON 404 until `POST /admin/gateways/:id` creates it.
   */
  readonly gatewayIds: readonly string[];
  /** Ids matching this pattern (whole id) are served too. */
  readonly gatewayPattern?: RegExp;
  /** A directory of static files to serve at `/` (the todo app), if any. */
  readonly staticDir?: string;
}

/** The secret used when none is configured: for local development only. */
export const DEV_JWT_SECRET = "lakesync-development-secret-do-not-use-in-production";

type Env = Readonly<Record<string, string | undefined>>;

function fail(message: string): Err<LakeSyncError> {
  return Err(new LakeSyncError("INVALID_CONFIG", message));
}

function integer(
  value: string | number | undefined,
  name: string,
  min: number,
  max: number,
): Result<number | undefined, LakeSyncError> {
  if (value === undefined || value === "") return Ok(undefined);
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    return fail(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return Ok(n);
}

/**
 * Reads the configuration. Precedence: environment variables over the JSON file named by
 * `LAKESYNC_CONFIG` over defaults. Returns `Err` (code `INVALID_CONFIG`) naming the first bad
 * setting. Variables: `PORT`, `HOST`, `LAKESYNC_DATA_DIR`, `LAKESYNC_LAKE` (fs|s3|postgres|mysql),
 * `LAKESYNC_S3_BUCKET`, `LAKESYNC_S3_ENDPOINT`, `LAKESYNC_S3_REGION`, `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `DATABASE_URL`, `LAKESYNC_FLUSH_FORMAT` (json|parquet),
 * `LAKESYNC_FLUSH_MAX_BYTES`, `LAKESYNC_FLUSH_MAX_AGE_MS`, `LAKESYNC_JWT_SECRET`,
 * `LAKESYNC_JWKS_URL`, `LAKESYNC_CORS_ORIGINS` (comma-separated), `LAKESYNC_MAX_BODY_BYTES`,
 * `LAKESYNC_MAX_VALUE_BYTES`, `LAKESYNC_GATEWAYS` (comma-separated ids), `LAKESYNC_GATEWAY_PATTERN`
 * (a regular expression the whole id must match), `LAKESYNC_STATIC_DIR`, `LAKESYNC_CATALOGUE`
 * (sqlite|postgres|rest|none), `LAKESYNC_CATALOGUE_URL` (the SQLite file, the PostgreSQL URL or
 * the REST catalogue's base URI), `LAKESYNC_CATALOGUE_TOKEN`, `LAKESYNC_CATALOGUE_WAREHOUSE`,
 * `LAKESYNC_NAMESPACE`, `LAKESYNC_ICEBERG_BUCKETS`, `LAKESYNC_DURABILITY` (full|normal),
 * `LAKESYNC_ROW_CACHE` (row states in memory per gateway), `LAKESYNC_COMPACTION` (on|off) and the
 * compaction settings `lakeCompactionConfig` reads (`LAKESYNC_COMPACTION_*`, `LAKESYNC_*_MS`,
 * `LAKESYNC_CHECKPOINTS`: store|lake).
 */
export function loadConfig(env: Env, cwd = process.cwd()): Result<ServerConfig, LakeSyncError> {
  let file: Record<string, unknown> = {};
  if (env.LAKESYNC_CONFIG) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(resolve(cwd, env.LAKESYNC_CONFIG), "utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return fail(`${env.LAKESYNC_CONFIG} must hold a JSON object`);
      file = parsed as Record<string, unknown>;
    } catch (cause) {
      return Err(
        new LakeSyncError("INVALID_CONFIG", `cannot read config file ${env.LAKESYNC_CONFIG}`, {
          cause,
        }),
      );
    }
  }
  const pick = (envName: string, key: string): string | undefined => {
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    const fromFile = file[key];
    return fromFile === undefined || fromFile === null ? undefined : String(fromFile);
  };

  const port = integer(pick("PORT", "port"), "PORT", 0, 65_535);
  if (!port.ok) return port;
  const maxBytes = integer(
    pick("LAKESYNC_FLUSH_MAX_BYTES", "flushMaxBytes"),
    "LAKESYNC_FLUSH_MAX_BYTES",
    1_024,
    2 ** 31,
  );
  if (!maxBytes.ok) return maxBytes;
  const maxAge = integer(
    pick("LAKESYNC_FLUSH_MAX_AGE_MS", "flushMaxAgeMs"),
    "LAKESYNC_FLUSH_MAX_AGE_MS",
    10,
    86_400_000,
  );
  if (!maxAge.ok) return maxAge;
  const maxBody = integer(
    pick("LAKESYNC_MAX_BODY_BYTES", "maxBodyBytes"),
    "LAKESYNC_MAX_BODY_BYTES",
    1_024,
    2 ** 30,
  );
  if (!maxBody.ok) return maxBody;
  const maxValue = integer(
    pick("LAKESYNC_MAX_VALUE_BYTES", "maxValueBytes"),
    "LAKESYNC_MAX_VALUE_BYTES",
    1,
    2 ** 30,
  );
  if (!maxValue.ok) return maxValue;

  const dataDir = resolve(cwd, pick("LAKESYNC_DATA_DIR", "dataDir") ?? ".lakesync-data");
  const format = pick("LAKESYNC_FLUSH_FORMAT", "flushFormat") ?? "parquet";
  if (format !== "json" && format !== "parquet")
    return fail(`LAKESYNC_FLUSH_FORMAT must be json or parquet, got ${JSON.stringify(format)}`);

  const kind = pick("LAKESYNC_LAKE", "lake") ?? "fs";
  let lake: LakeConfig;
  if (kind === "fs") {
    lake = { kind, dir: resolve(dataDir, "lake") };
  } else if (kind === "s3") {
    const bucket = pick("LAKESYNC_S3_BUCKET", "s3Bucket");
    if (!bucket) return fail("LAKESYNC_S3_BUCKET is required when LAKESYNC_LAKE=s3");
    const endpoint = pick("LAKESYNC_S3_ENDPOINT", "s3Endpoint");
    const accessKeyId = pick("AWS_ACCESS_KEY_ID", "s3AccessKeyId");
    const secretAccessKey = pick("AWS_SECRET_ACCESS_KEY", "s3SecretAccessKey");
    lake = {
      kind,
      bucket,
      region: pick("LAKESYNC_S3_REGION", "s3Region") ?? "us-east-1",
      forcePathStyle: endpoint !== undefined,
      ...(endpoint ? { endpoint } : {}),
      ...(accessKeyId ? { accessKeyId } : {}),
      ...(secretAccessKey ? { secretAccessKey } : {}),
    };
  } else if (kind === "postgres" || kind === "mysql") {
    const url = pick("DATABASE_URL", "databaseUrl");
    if (!url) return fail(`DATABASE_URL is required when LAKESYNC_LAKE=${kind}`);
    lake = { kind, url };
  } else {
    return fail(`LAKESYNC_LAKE must be fs, s3, postgres or mysql, got ${JSON.stringify(kind)}`);
  }

  const catalogue = catalogueConfig(pick, dataDir, kind);
  if (!catalogue.ok) return catalogue;
  const buckets = integer(
    pick("LAKESYNC_ICEBERG_BUCKETS", "icebergBuckets"),
    "LAKESYNC_ICEBERG_BUCKETS",
    1,
    1_024,
  );
  if (!buckets.ok) return buckets;
  const compaction = lakeCompactionConfig(pick);
  if (!compaction.ok) return compaction;
  const store = gatewayStoreConfig(pick);
  if (!store.ok) return store;
  const namespace = pick("LAKESYNC_NAMESPACE", "namespace");
  if (namespace !== undefined && !validateGatewayId(namespace).ok)
    return fail("LAKESYNC_NAMESPACE must be 1-128 characters of A-Z a-z 0-9 _ . -");
  const warehouse = pick("LAKESYNC_CATALOGUE_WAREHOUSE", "warehouse");

  const jwtSecret = pick("LAKESYNC_JWT_SECRET", "jwtSecret");
  const jwksUrl = pick("LAKESYNC_JWKS_URL", "jwksUrl");
  const devSecret = jwtSecret === undefined && jwksUrl === undefined;
  const gatewayIds: string[] = devSecret ? ["todos"] : [];
  for (const id of (pick("LAKESYNC_GATEWAYS", "gateways") ?? "").split(",")) {
    const trimmed = id.trim();
    if (trimmed === "") continue;
    const valid = validateGatewayId(trimmed);
    if (!valid.ok) return fail(`LAKESYNC_GATEWAYS: "${trimmed}": ${valid.error.message}`);
    if (!gatewayIds.includes(trimmed)) gatewayIds.push(trimmed);
  }
  const patternText = pick("LAKESYNC_GATEWAY_PATTERN", "gatewayPattern");
  let gatewayPattern: RegExp | undefined;
  if (patternText !== undefined) {
    try {
      gatewayPattern = new RegExp(`^(?:${patternText})$`);
    } catch (cause) {
      return Err(
        new LakeSyncError(
          "INVALID_CONFIG",
          "LAKESYNC_GATEWAY_PATTERN is not a regular expression",
          {
            cause,
          },
        ),
      );
    }
  }
  const staticDir = pick("LAKESYNC_STATIC_DIR", "staticDir");
  const cors = pick("LAKESYNC_CORS_ORIGINS", "corsOrigins");
  return Ok({
    host: pick("HOST", "host") ?? "127.0.0.1",
    port: port.value ?? 8787,
    dataDir,
    store: store.value,
    lake,
    flushFormat: format,
    catalogue: catalogue.value,
    icebergBuckets: buckets.value ?? 16,
    compaction: compaction.value,
    ...(namespace === undefined ? {} : { namespace }),
    ...(warehouse === undefined ? {} : { warehouse }),
    flushMaxBytes: maxBytes.value ?? 4 * 1024 * 1024,
    flushMaxAgeMs: maxAge.value ?? 30_000,
    devSecret,
    ...(devSecret ? { jwtSecret: DEV_JWT_SECRET } : {}),
    ...(jwtSecret === undefined ? {} : { jwtSecret }),
    ...(jwksUrl === undefined ? {} : { jwksUrl }),
    corsOrigins: cors
      ? cors
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    maxBodyBytes: maxBody.value ?? 8 * 1024 * 1024,
    maxValueBytes: maxValue.value ?? 1024 * 1024,
    gatewayIds,
    ...(gatewayPattern ? { gatewayPattern } : {}),
    ...(staticDir ? { staticDir: resolve(cwd, staticDir) } : {}),
  });
}

/** The catalogue setting: SQLite in the data directory unless told otherwise. */
function catalogueConfig(
  pick: (envName: string, key: string) => string | undefined,
  dataDir: string,
  lake: string,
): Result<CatalogueConfig, LakeSyncError> {
  const kind =
    pick("LAKESYNC_CATALOGUE", "catalogue") ?? (lake === "fs" || lake === "s3" ? "sqlite" : "none");
  const url = pick("LAKESYNC_CATALOGUE_URL", "catalogueUrl");
  switch (kind) {
    case "none":
      return Ok({ kind });
    case "sqlite":
      return Ok({ kind, path: resolve(dataDir, url ?? "catalogue.sqlite") });
    case "postgres":
      if (!url)
        return fail(
          "LAKESYNC_CATALOGUE_URL (a PostgreSQL URL) is required when LAKESYNC_CATALOGUE=postgres",
        );
      return Ok({ kind, url });
    case "rest": {
      if (!url)
        return fail(
          "LAKESYNC_CATALOGUE_URL (the REST catalogue's base URI) is required when LAKESYNC_CATALOGUE=rest",
        );
      const token = pick("LAKESYNC_CATALOGUE_TOKEN", "catalogueToken");
      return Ok({ kind, uri: url, ...(token === undefined ? {} : { token }) });
    }
    default:
      return fail(
        `LAKESYNC_CATALOGUE must be sqlite, postgres, rest or none, got ${JSON.stringify(kind)}`,
      );
  }
}
