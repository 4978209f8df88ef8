/**
 * @module rest/server-table-routes
 * The table routes of the Iceberg REST server: list (paginated), create, load, exists (`HEAD`),
 * commit (`POST .../tables/{table}`: requirements and updates passed to `commitTable`, a
 * conflict answered 409 `CommitFailedException`), drop (with `purgeRequested`), and a metrics
 * sink that accepts and discards reports.
 */
import type { Context, Hono } from "hono";
import type { LoadedTable, TableIdentifier } from "../catalogue/catalogue.js";
import { decodeRequest, readCommitTable, readCreateTable } from "./request-decoders.js";
import { readJsonBody } from "./server-body.js";
import { badRequest, icebergError, respondWithError } from "./server-errors.js";
import { namespaceParam, type RouteContext } from "./server-namespace-routes.js";
import { pageOf, readPageRequest } from "./server-pagination.js";
import {
  type CommitTableResponseBody,
  type ListTablesBody,
  type LoadTableResultBody,
  toWireMetadata,
} from "./wire.js";

function tableParam(c: Context): TableIdentifier | Response {
  const namespace = namespaceParam(c);
  if (namespace instanceof Response) return namespace;
  const name = c.req.param("table") ?? "";
  if (name === "") return badRequest(c, "a table name cannot be empty");
  return { namespace, name };
}

function loadResult(table: LoadedTable): LoadTableResultBody {
  return {
    "metadata-location": table.metadataLocation,
    metadata: toWireMetadata(table.metadata),
    config: {},
  };
}

async function jsonBody(c: Context, routes: RouteContext): Promise<unknown> {
  const json = await readJsonBody(c, routes.maxBodyBytes);
  return json.ok
    ? json.value
    : icebergError(c, json.error.status, "BadRequestException", json.error.message);
}

/** Registers the table routes on `app`. */
export function registerTableRoutes(app: Hono, routes: RouteContext): void {
  const { catalogue, base } = routes;
  const tables = `${base}/namespaces/:namespace/tables`;

  app.get(tables, async (c) => {
    const namespace = namespaceParam(c);
    if (namespace instanceof Response) return namespace;
    const request = readPageRequest((name) => c.req.query(name), routes.pageSize);
    if (!request.ok) return badRequest(c, request.error);
    const listed = await catalogue.listTables(namespace);
    if (!listed.ok) return respondWithError(c, listed.error);
    const page = pageOf(listed.value, (t) => t.name, request.value);
    const body: ListTablesBody = {
      identifiers: page.items.map((t) => ({ namespace: [...t.namespace], name: t.name })),
      "next-page-token": page.next,
    };
    return c.json(body);
  });

  app.post(tables, async (c) => {
    const namespace = namespaceParam(c);
    if (namespace instanceof Response) return namespace;
    const json = await jsonBody(c, routes);
    if (json instanceof Response) return json;
    const request = decodeRequest("CreateTableRequest", () => readCreateTable(json));
    if (!request.ok) return badRequest(c, request.error);
    const created = await catalogue.createTable(namespace, request.value);
    return created.ok ? c.json(loadResult(created.value)) : respondWithError(c, created.error);
  });

  app.get(`${tables}/:table`, async (c) => {
    const table = tableParam(c);
    if (table instanceof Response) return table;
    const loaded = await catalogue.loadTable(table);
    if (!loaded.ok) return respondWithError(c, loaded.error);
    // hono answers HEAD with the GET route; the spec wants 204 for an existing table.
    if (c.req.method === "HEAD") return c.body(null, 204);
    return c.json(loadResult(loaded.value));
  });

  app.post(`${tables}/:table`, async (c) => {
    const table = tableParam(c);
    if (table instanceof Response) return table;
    const json = await jsonBody(c, routes);
    if (json instanceof Response) return json;
    const request = decodeRequest("CommitTableRequest", () => readCommitTable(json));
    if (!request.ok) return badRequest(c, request.error);
    const { requirements, updates } = request.value;
    const committed = await catalogue.commitTable(table, requirements, updates);
    if (!committed.ok) return respondWithError(c, committed.error);
    const body: CommitTableResponseBody = {
      "metadata-location": committed.value.metadataLocation,
      metadata: toWireMetadata(committed.value.metadata),
    };
    return c.json(body);
  });

  app.delete(`${tables}/:table`, async (c) => {
    const table = tableParam(c);
    if (table instanceof Response) return table;
    const purge = c.req.query("purgeRequested");
    if (purge !== undefined && purge !== "true" && purge !== "false")
      return badRequest(c, `purgeRequested must be true or false, not ${JSON.stringify(purge)}`);
    const dropped = await catalogue.dropTable(table, { purge: purge === "true" });
    return dropped.ok ? c.body(null, 204) : respondWithError(c, dropped.error);
  });

  app.post(`${tables}/:table/metrics`, async (c) => {
    const table = tableParam(c);
    if (table instanceof Response) return table;
    const json = await jsonBody(c, routes);
    if (json instanceof Response) return json;
    if (typeof json !== "object" || json === null || Array.isArray(json))
      return badRequest(c, "a metrics report must be a JSON object");
    // Reports are accepted so engines that send them do not log failures; LakeSync keeps none.
    return c.body(null, 204);
  });
}
