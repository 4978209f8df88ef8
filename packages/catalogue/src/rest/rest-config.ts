/**
 * @module rest/rest-config
 * The session a REST catalogue client works in, from `GET /v1/config`: the server's defaults,
 * then the client's own properties, then the server's overrides (the spec's order). From the
 * merged properties come the `prefix` of every resource path, the `namespace-separator`, the
 * page size (`rest-page-size`), the OAuth2 token endpoint (`oauth2-server-uri`), the `endpoints`
 * the server says it implements, and a `uri` the server may move the client to (as Nessie does).
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Namespace } from "../catalogue/catalogue.js";
import { errorForBody, type RequestLabel } from "./client-errors.js";
import type { RestHttpClient } from "./http-client.js";
import { encodeNamespacePath, UNIT_SEPARATOR } from "./namespace-path.js";

/** What every request of a client needs to know about its catalogue. */
export interface CatalogueSession {
  /** The merged configuration properties. */
  readonly properties: Readonly<Record<string, string>>;
  /** `<uri>/v1` or `<uri>/v1/<prefix>` (`uri` as the configuration left it): the root of every resource path. */
  readonly root: string;
  /** The separator of namespace levels in paths (the unit separator unless overridden). */
  readonly separator: string;
  /** Page size for listings; `undefined` lets the server return everything at once. */
  readonly pageSize: number | undefined;
  /** `METHOD /v1/{prefix}/...` entries the server implements; `undefined` when not announced. */
  readonly endpoints: ReadonlySet<string> | undefined;
}

/** What the client contributes to the configuration (`warehouse`, `prefix`, `rest-page-size`). */
export type ClientProperties = Readonly<Record<string, string>>;

function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") return undefined;
    out[key] = entry;
  }
  return out;
}

function decodeSeparator(value: string | undefined): string {
  if (value === undefined || value === "") return UNIT_SEPARATOR;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Fetches `GET <uri>/v1/config[?warehouse=]` and builds the session. Returns the request's
 * error (see `RestHttpClient.send`) or `CATALOGUE_UNAVAILABLE` for a malformed body.
 */
export async function loadSession(
  http: RestHttpClient,
  uri: string,
  client: ClientProperties,
): Promise<Result<CatalogueSession, LakeSyncError>> {
  const query =
    client.warehouse === undefined
      ? ""
      : `?${new URLSearchParams({ warehouse: client.warehouse })}`;
  const url = `${uri}/v1/config${query}`;
  const label: RequestLabel = { operation: "getConfig", method: "GET", url };
  const reply = await http.send("getConfig", "GET", url);
  if (!reply.ok) return reply;
  const body = reply.value.body as
    | { defaults?: unknown; overrides?: unknown; endpoints?: unknown }
    | undefined;
  const defaults = stringMap(body?.defaults);
  const overrides = stringMap(body?.overrides);
  if (typeof body !== "object" || !defaults || !overrides)
    return Err(errorForBody(label, "defaults and overrides must be string maps"));
  const endpoints = body.endpoints;
  if (
    endpoints !== undefined &&
    (!Array.isArray(endpoints) || !endpoints.every((e) => typeof e === "string"))
  )
    return Err(errorForBody(label, "endpoints must be a list of strings"));
  const properties = { ...defaults, ...client, ...overrides };
  const prefix = (properties.prefix ?? "").replace(/^\/+|\/+$/g, "");
  // Servers may move the client to another base URI (Nessie answers its canonical `/iceberg/`).
  const announced = properties.uri;
  const base =
    announced !== undefined && /^https?:\/\/[^/]/.test(announced)
      ? announced.replace(/\/+$/, "")
      : uri;
  const pageSize = Number(properties["rest-page-size"]);
  return Ok({
    properties,
    root: prefix === "" ? `${base}/v1` : `${base}/v1/${prefix}`,
    separator: decodeSeparator(properties["namespace-separator"]),
    pageSize: Number.isInteger(pageSize) && pageSize > 0 ? pageSize : undefined,
    endpoints: endpoints === undefined ? undefined : new Set(endpoints as string[]),
  });
}

/** The resource paths of one session. */
export const paths = {
  namespaces: (s: CatalogueSession): string => `${s.root}/namespaces`,
  namespace: (s: CatalogueSession, ns: Namespace): string =>
    `${s.root}/namespaces/${encodeNamespacePath(ns, s.separator)}`,
  tables: (s: CatalogueSession, ns: Namespace): string =>
    `${s.root}/namespaces/${encodeNamespacePath(ns, s.separator)}/tables`,
  table: (s: CatalogueSession, ns: Namespace, name: string): string =>
    `${s.root}/namespaces/${encodeNamespacePath(ns, s.separator)}/tables/${encodeURIComponent(name)}`,
};

/** Whether the server announced `endpoint` (`"HEAD /v1/{prefix}/namespaces/{namespace}"`). */
export function announces(session: CatalogueSession, endpoint: string): boolean {
  return session.endpoints?.has(endpoint) ?? false;
}
