/**
 * @module cli/migrate-endpoints
 * What `lakesync migrate --from/--to` URLs name, as adapters: `postgres://` (with `?schema=`),
 * `mysql://` (or `mariadb://`), `file:` (a directory lake: `file:///abs` or `file:relative`) and
 * `s3://bucket` (with `?endpoint=`, `region=`, `path-style=`, `list-api=`; credentials from
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`). And the table schemas a database migration
 * copies, from a JSON file.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type DatabaseAdapter,
  FileSystemAdapter,
  type LakeAdapter,
  MySQLAdapter,
  PostgresAdapter,
  S3Adapter,
} from "@lakesync/adapter/node";
import {
  Err,
  type LakeSyncError,
  Ok,
  type Result,
  type TableSchema,
  validateTableSchema,
} from "@lakesync/core";
import { CliError, usageError } from "./cli-error.js";
import type { CliIO } from "./cli-io.js";

/** An opened end of a migration. */
export type Endpoint =
  | { readonly kind: "lake"; readonly adapter: LakeAdapter; readonly where: string }
  | { readonly kind: "database"; readonly adapter: DatabaseAdapter; readonly where: string };

function s3Endpoint(url: URL, io: CliIO): Result<Endpoint, CliError> {
  if (url.pathname !== "" && url.pathname !== "/")
    return Err(
      usageError(
        `s3 URLs name a bucket (s3://${url.hostname}); copy part of it with --prefix instead of ${url.pathname}`,
      ),
    );
  const endpoint = url.searchParams.get("endpoint") ?? undefined;
  const listApi = url.searchParams.get("list-api") ?? "v2";
  if (listApi !== "v1" && listApi !== "v2") return Err(usageError("list-api must be v1 or v2"));
  const accessKeyId = io.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = io.env.AWS_SECRET_ACCESS_KEY;
  const adapter = new S3Adapter({
    bucket: url.hostname,
    region: url.searchParams.get("region") ?? io.env.AWS_REGION ?? "us-east-1",
    forcePathStyle:
      (url.searchParams.get("path-style") ?? String(endpoint !== undefined)) === "true",
    listApi,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
  return Ok({ kind: "lake", adapter, where: `s3://${url.hostname}` });
}

function postgresEndpoint(url: URL): Endpoint {
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  const adapter = new PostgresAdapter({
    connectionString: url.href,
    ...(schema === undefined ? {} : { schema }),
  });
  return { kind: "database", adapter, where: `PostgreSQL ${url.host}${url.pathname}` };
}

/**
 * The adapter `text` names. `Err(CliError)` (`USAGE`) for a URL of no supported kind; nothing
 * connects until the migration reads or writes.
 */
export function openEndpoint(text: string, io: CliIO): Result<Endpoint, CliError> {
  if (text.startsWith("file:") && !text.startsWith("file://")) {
    const path = text.slice("file:".length);
    const root = isAbsolute(path) ? path : resolve(io.cwd, path);
    return Ok({ kind: "lake", adapter: new FileSystemAdapter({ root }), where: root });
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return Err(usageError(`not a URL: ${text} (postgres://, mysql://, file: or s3://)`));
  }
  switch (url.protocol) {
    case "file:": {
      const root = fileURLToPath(url);
      return Ok({ kind: "lake", adapter: new FileSystemAdapter({ root }), where: root });
    }
    case "s3:":
      return s3Endpoint(url, io);
    case "postgres:":
    case "postgresql:":
      return Ok(postgresEndpoint(url));
    case "mysql:":
    case "mariadb:": {
      const uri = `mysql:${url.href.slice(url.protocol.length)}`;
      const adapter = new MySQLAdapter({ uri });
      return Ok({ kind: "database", adapter, where: `MySQL ${url.host}${url.pathname}` });
    }
    default:
      return Err(
        usageError(`unsupported URL ${url.protocol}: use postgres://, mysql://, file: or s3://`),
      );
  }
}

/** Releases a database endpoint's connections (lakes hold none). */
export async function closeEndpoint(endpoint: Endpoint): Promise<void> {
  if (endpoint.kind === "database") await endpoint.adapter.close();
}

/**
 * The table schemas in a JSON file: one schema, an array, or `{tables: [...]}` (what a gateway's
 * `GET /sync/:id/schema` answers). `only` keeps the tables named. `Err`: `USAGE` for a file that
 * cannot be read or holds no valid schema, or for a table of `only` it lacks.
 */
export async function readSchemas(
  io: CliIO,
  file: string,
  only: readonly string[] | undefined,
): Promise<Result<TableSchema[], LakeSyncError>> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(resolve(io.cwd, file), "utf8"));
  } catch (cause) {
    return Err(new CliError("USAGE", `cannot read the schemas in ${file}`, { cause }));
  }
  const list =
    typeof document === "object" && document !== null && "tables" in document
      ? (document as { tables: unknown }).tables
      : document;
  const items: unknown[] = Array.isArray(list) ? list : [list];
  const schemas: TableSchema[] = [];
  for (const item of items) {
    const valid = validateTableSchema(item);
    if (!valid.ok) return Err(new CliError("USAGE", `${file}: ${valid.error.message}`));
    schemas.push(valid.value);
  }
  if (only === undefined) return Ok(schemas);
  const missing = only.filter((name) => !schemas.some((s) => s.table === name));
  if (missing.length > 0) return Err(usageError(`${file} has no schema for ${missing.join(", ")}`));
  return Ok(schemas.filter((s) => only.includes(s.table)));
}
