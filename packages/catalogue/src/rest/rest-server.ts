/**
 * @module rest/rest-server
 * `createIcebergRestApp`: the Apache Iceberg REST catalogue API served over any
 * {@link Catalogue}, as a hono app. The Node gateway mounts it under `/iceberg` over its SQL
 * catalogue, so Spark, Trino, DuckDB or PyIceberg read (and may commit to) LakeSync's tables.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type Context, Hono } from "hono";
import type { Catalogue } from "../catalogue/catalogue.js";
import { CatalogueError } from "../errors.js";
import { icebergError } from "./server-errors.js";
import { type RouteContext, registerNamespaceRoutes } from "./server-namespace-routes.js";
import { registerTableRoutes } from "./server-table-routes.js";
import type { CatalogConfigBody } from "./wire.js";

/** Options of {@link createIcebergRestApp}. */
export interface IcebergRestAppOptions {
  /**
   * A path prefix (`/v1/<prefix>/namespaces`), announced to clients in the config overrides.
   * Letters, digits, `_`, `.` and `-` only. Without one, routes are `/v1/namespaces/...`.
   */
  readonly prefix?: string;
  /**
   * Decides whether a request may proceed; an `Err` is answered 401 (403 when its code is
   * `FORBIDDEN`) with its message. Runs before every route, `/v1/config` included.
   */
  readonly authorise?: (
    request: Request,
  ) => Result<void, LakeSyncError> | Promise<Result<void, LakeSyncError>>;
  /** Extra `defaults` of `GET /v1/config` (e.g. `warehouse`). */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Extra `overrides` of `GET /v1/config`. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Page size when a client sends `pageToken` without `pageSize`; defaults to 100. */
  readonly pageSize?: number;
  /** Largest accepted request body in bytes (413 above); defaults to 8 MiB. */
  readonly maxBodyBytes?: number;
}

/** The endpoints served, as announced in `GET /v1/config`. */
export const SERVED_ENDPOINTS: readonly string[] = [
  "GET /v1/{prefix}/namespaces",
  "POST /v1/{prefix}/namespaces",
  "GET /v1/{prefix}/namespaces/{namespace}",
  "HEAD /v1/{prefix}/namespaces/{namespace}",
  "DELETE /v1/{prefix}/namespaces/{namespace}",
  "GET /v1/{prefix}/namespaces/{namespace}/tables",
  "POST /v1/{prefix}/namespaces/{namespace}/tables",
  "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics",
];

/** Operations of the spec this server does not implement: answered 406 `UnsupportedOperationException`. */
const UNSUPPORTED: readonly (readonly [string, string])[] = [
  ["POST", "/namespaces/:namespace/properties"],
  ["POST", "/namespaces/:namespace/register"],
  ["POST", "/namespaces/:namespace/register-view"],
  ["POST", "/tables/rename"],
  ["POST", "/views/rename"],
  ["POST", "/transactions/commit"],
  ["ALL", "/namespaces/:namespace/views"],
  ["ALL", "/namespaces/:namespace/views/:view"],
  ["ALL", "/namespaces/:namespace/tables/:table/plan"],
  ["ALL", "/namespaces/:namespace/tables/:table/plan/:plan"],
  ["ALL", "/namespaces/:namespace/tables/:table/tasks"],
  ["ALL", "/namespaces/:namespace/tables/:table/credentials"],
];

const PREFIX = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Builds the Iceberg REST catalogue API over `catalogue`: `GET /v1/config` (with `endpoints`),
 * the namespace and table routes listed in {@link SERVED_ENDPOINTS}, 406 for the spec's other
 * operations, and a JSON 404 for anything else. Every failure is an `IcebergErrorResponse`;
 * request bodies are checked and a malformed one is a 400 naming the field. Routes are relative,
 * so the app can be mounted under a base path with `app.route("/iceberg", restApp)`. Returns
 * `Err(CatalogueError)` (`INVALID_INPUT`) only for a `prefix` with other characters than
 * A-Z a-z 0-9 _ . -.
 *
 * @example
 * const iceberg = createIcebergRestApp(catalogue, { authorise: requireAdminToken });
 * if (iceberg.ok) gateway.route("/iceberg", iceberg.value);
 */
export function createIcebergRestApp(
  catalogue: Catalogue,
  options: IcebergRestAppOptions = {},
): Result<Hono, CatalogueError> {
  const app = new Hono();
  const prefix = options.prefix;
  if (prefix !== undefined && !PREFIX.test(prefix))
    return Err(
      new CatalogueError(
        "INVALID_INPUT",
        `prefix must be 1-128 characters of A-Z a-z 0-9 _ . -, not ${JSON.stringify(prefix)}`,
      ),
    );
  const routes: RouteContext = {
    catalogue,
    base: prefix === undefined ? "/v1" : `/v1/${prefix}`,
    pageSize: options.pageSize ?? 100,
    maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
  };

  app.onError((error, c) =>
    icebergError(c, 500, "InternalServerError", `unexpected failure: ${error.message}`),
  );

  const authorise = options.authorise;
  if (authorise)
    app.use("*", async (c, next) => {
      const allowed = await authorise(c.req.raw);
      if (allowed.ok) return next();
      const forbidden = allowed.error.code === "FORBIDDEN";
      return icebergError(
        c,
        forbidden ? 403 : 401,
        forbidden ? "ForbiddenException" : "NotAuthorizedException",
        allowed.error.message,
      );
    });

  app.get("/v1/config", (c) => {
    const body: CatalogConfigBody = {
      defaults: { ...options.defaults },
      overrides: { ...options.overrides, ...(prefix === undefined ? {} : { prefix }) },
      endpoints: SERVED_ENDPOINTS,
    };
    return c.json(body);
  });

  app.post("/v1/oauth/tokens", (c) =>
    c.json(
      {
        error: "invalid_request",
        error_description: "this catalogue does not issue tokens: send a bearer token",
      },
      400,
    ),
  );

  registerNamespaceRoutes(app, routes);
  registerTableRoutes(app, routes);

  for (const [method, path] of UNSUPPORTED) {
    const handler = (c: Context) =>
      icebergError(
        c,
        406,
        "UnsupportedOperationException",
        `${c.req.method} ${c.req.path} is not supported by this catalogue`,
      );
    if (method === "ALL") app.all(`${routes.base}${path}`, handler);
    else app.on(method, `${routes.base}${path}`, handler);
  }

  app.all("*", (c) =>
    icebergError(c, 404, "NotFoundException", `no route for ${c.req.method} ${c.req.path}`),
  );
  return Ok(app);
}
