/**
 * @module rest/server-namespace-routes
 * The namespace routes of the Iceberg REST server: list (with `parent` and pagination), create,
 * load, exists (`HEAD`) and drop, each answered from a {@link Catalogue}.
 */
import type { Context, Hono } from "hono";
import type { Catalogue, Namespace } from "../catalogue/catalogue.js";
import { decodeNamespace, namespaceProblem, UNIT_SEPARATOR } from "./namespace-path.js";
import { decodeRequest, readCreateNamespace } from "./request-decoders.js";
import { readJsonBody } from "./server-body.js";
import { badRequest, icebergError, respondWithError } from "./server-errors.js";
import { pageOf, readPageRequest } from "./server-pagination.js";
import type { ListNamespacesBody, NamespaceBody } from "./wire.js";

/** What the route files share. */
export interface RouteContext {
  readonly catalogue: Catalogue;
  /** `/v1` or `/v1/<prefix>`. */
  readonly base: string;
  readonly pageSize: number;
  readonly maxBodyBytes: number;
}

/**
 * The namespace of the `:namespace` path parameter (already percent-decoded by hono), or a 400
 * response naming the problem.
 */
export function namespaceParam(c: Context): Namespace | Response {
  const namespace = decodeNamespace(c.req.param("namespace") ?? "");
  const problem = namespaceProblem(namespace);
  return problem === undefined ? namespace : badRequest(c, `invalid namespace in path: ${problem}`);
}

/** Registers the namespace routes on `app`. */
export function registerNamespaceRoutes(app: Hono, routes: RouteContext): void {
  const { catalogue, base } = routes;

  app.get(`${base}/namespaces`, async (c) => {
    const parentText = c.req.query("parent");
    let parent: Namespace | undefined;
    if (parentText !== undefined && parentText !== "") {
      parent = decodeNamespace(parentText);
      const problem = namespaceProblem(parent);
      if (problem) return badRequest(c, `invalid parent namespace: ${problem}`);
    }
    const request = readPageRequest((name) => c.req.query(name), routes.pageSize);
    if (!request.ok) return badRequest(c, request.error);
    const listed = await catalogue.listNamespaces(parent);
    if (!listed.ok) return respondWithError(c, listed.error);
    const page = pageOf(listed.value, (ns) => ns.join(UNIT_SEPARATOR), request.value);
    const body: ListNamespacesBody = { namespaces: page.items, "next-page-token": page.next };
    return c.json(body);
  });

  app.post(`${base}/namespaces`, async (c) => {
    const json = await readJsonBody(c, routes.maxBodyBytes);
    if (!json.ok)
      return icebergError(c, json.error.status, "BadRequestException", json.error.message);
    const request = decodeRequest("CreateNamespaceRequest", () => readCreateNamespace(json.value));
    if (!request.ok) return badRequest(c, request.error);
    const { namespace, properties } = request.value;
    const created = await catalogue.createNamespace(namespace, properties);
    if (!created.ok) return respondWithError(c, created.error);
    const loaded = await catalogue.loadNamespace(namespace);
    const body: NamespaceBody = { namespace, properties: loaded.ok ? loaded.value : properties };
    return c.json(body);
  });

  app.get(`${base}/namespaces/:namespace`, async (c) => {
    const namespace = namespaceParam(c);
    if (namespace instanceof Response) return namespace;
    const loaded = await catalogue.loadNamespace(namespace);
    if (!loaded.ok) return respondWithError(c, loaded.error);
    // hono answers HEAD with the GET route; the spec wants 204 for an existing namespace.
    if (c.req.method === "HEAD") return c.body(null, 204);
    const body: NamespaceBody = { namespace, properties: loaded.value };
    return c.json(body);
  });

  app.delete(`${base}/namespaces/:namespace`, async (c) => {
    const namespace = namespaceParam(c);
    if (namespace instanceof Response) return namespace;
    const dropped = await catalogue.dropNamespace(namespace);
    return dropped.ok ? c.body(null, 204) : respondWithError(c, dropped.error);
  });
}
