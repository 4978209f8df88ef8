/**
 * @module rest/rest-catalogue
 * `RestCatalogue`: a {@link Catalogue} backed by any server of the Apache Iceberg REST catalogue
 * API (Nessie, Polaris, Lakekeeper, R2 Data Catalog, LakeSync's own `/iceberg` routes).
 * Runtime-neutral: it needs only `fetch`, so it runs in Workers, Node and browsers.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type {
  Catalogue,
  CreateTableRequest,
  LoadedTable,
  Namespace,
  TableIdentifier,
} from "../catalogue/catalogue.js";
import type { TableRequirement, TableUpdate } from "../catalogue/updates.js";
import { CatalogueError } from "../errors.js";
import type { RestHttpClient } from "./http-client.js";
import { namespaceProblem, namespaceQueryValue } from "./namespace-path.js";
import type { OAuth2ClientCredentials } from "./oauth2.js";
import { createTransport, type RestCatalogueOptions } from "./rest-catalogue-options.js";
import { announces, type CatalogueSession, loadSession, paths } from "./rest-config.js";
import { collectPages } from "./rest-pagination.js";
import {
  decodeBody,
  readLoadedTable,
  readNamespacePage,
  readNamespaceProperties,
  readTablePage,
} from "./rest-responses.js";

export type { RestCatalogueOptions } from "./rest-catalogue-options.js";

function invalid(message: string): Err<CatalogueError> {
  return Err(new CatalogueError("INVALID_INPUT", message));
}

function checkNamespace(namespace: Namespace, separator?: string): Err<CatalogueError> | undefined {
  const problem = namespaceProblem(namespace, separator);
  return problem === undefined ? undefined : invalid(`invalid namespace: ${problem}`);
}

function checkTable(table: TableIdentifier, separator?: string): Err<CatalogueError> | undefined {
  if (typeof table.name !== "string" || table.name === "")
    return invalid("table names cannot be empty");
  return checkNamespace(table.namespace, separator);
}

/**
 * An Iceberg REST catalogue client. The first call fetches `GET /v1/config` (and an OAuth2 token
 * when a `credential` is given); every method returns a `Result` and never throws. Error codes:
 * `NO_SUCH_NAMESPACE`, `NO_SUCH_TABLE`, `ALREADY_EXISTS`, `NAMESPACE_NOT_EMPTY`,
 * `COMMIT_CONFLICT` (409 on a commit), `COMMIT_STATE_UNKNOWN` (a commit answered 5xx or lost:
 * reload and check), `CATALOGUE_UNAVAILABLE`, `INVALID_INPUT`, and `UNAUTHORISED` / `FORBIDDEN`
 * (401 / 403) as plain `LakeSyncError`s.
 *
 * @example
 * const catalogue = new RestCatalogue({ uri: "https://catalog.example.com", warehouse: "lake", token });
 * const table = await catalogue.loadTable({ namespace: ["lakesync"], name: "todos" });
 */
export class RestCatalogue implements Catalogue {
  readonly name: string;
  readonly #uri: string;
  readonly #http: RestHttpClient;
  readonly #oauth: OAuth2ClientCredentials | undefined;
  readonly #options: RestCatalogueOptions;
  readonly #problem: string | undefined;
  #session: Promise<Result<CatalogueSession, LakeSyncError>> | undefined;

  constructor(options: RestCatalogueOptions) {
    const transport = createTransport(options);
    this.#options = options;
    this.#uri = transport.uri;
    this.#http = transport.http;
    this.#oauth = transport.oauth;
    this.#problem = transport.problem;
    this.name = options.name ?? `rest:${this.#uri}`;
  }

  /** The merged catalogue configuration (server defaults, client options, server overrides). */
  async configuration(): Promise<Result<Readonly<Record<string, string>>, LakeSyncError>> {
    const session = await this.#sessionOnce();
    return session.ok ? Ok(session.value.properties) : session;
  }

  async listNamespaces(parent?: Namespace): Promise<Result<Namespace[], LakeSyncError>> {
    return this.#with(async (s) => {
      const query = new URLSearchParams();
      if (parent !== undefined && parent.length > 0) {
        const bad = checkNamespace(parent, s.separator);
        if (bad) return bad;
        query.set("parent", namespaceQueryValue(parent, s.separator));
      }
      return collectPages(
        this.#http,
        s,
        "listNamespaces",
        paths.namespaces(s),
        query,
        readNamespacePage,
      );
    });
  }

  async createNamespace(
    namespace: Namespace,
    properties: Readonly<Record<string, string>> = {},
  ): Promise<Result<void, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkNamespace(namespace, s.separator);
      if (bad) return bad;
      const body = { namespace: [...namespace], properties: { ...properties } };
      const reply = await this.#http.send("createNamespace", "POST", paths.namespaces(s), body);
      return reply.ok ? Ok(undefined) : reply;
    });
  }

  async loadNamespace(
    namespace: Namespace,
  ): Promise<Result<Record<string, string>, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkNamespace(namespace, s.separator);
      if (bad) return bad;
      const url = paths.namespace(s, namespace);
      const reply = await this.#http.send("loadNamespaceMetadata", "GET", url);
      if (!reply.ok) return reply;
      const label = { operation: "loadNamespaceMetadata", method: "GET", url } as const;
      return decodeBody(label, () => readNamespaceProperties(reply.value.body));
    });
  }

  /** Whether the namespace exists (`HEAD` when the server announces it, else a load). */
  async namespaceExists(namespace: Namespace): Promise<Result<boolean, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkNamespace(namespace, s.separator);
      if (bad) return bad;
      const reply = announces(s, "HEAD /v1/{prefix}/namespaces/{namespace}")
        ? await this.#http.send("namespaceExists", "HEAD", paths.namespace(s, namespace))
        : await this.loadNamespace(namespace);
      if (reply.ok) return Ok(true);
      return reply.error.code === "NO_SUCH_NAMESPACE" ? Ok(false) : reply;
    });
  }

  async dropNamespace(namespace: Namespace): Promise<Result<void, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkNamespace(namespace, s.separator);
      if (bad) return bad;
      const reply = await this.#http.send("dropNamespace", "DELETE", paths.namespace(s, namespace));
      return reply.ok ? Ok(undefined) : reply;
    });
  }

  async listTables(namespace: Namespace): Promise<Result<TableIdentifier[], LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkNamespace(namespace, s.separator);
      if (bad) return bad;
      const url = paths.tables(s, namespace);
      return collectPages(this.#http, s, "listTables", url, new URLSearchParams(), readTablePage);
    });
  }

  async createTable(
    namespace: Namespace,
    request: CreateTableRequest,
  ): Promise<Result<LoadedTable, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkTable({ namespace, name: request.name }, s.separator);
      if (bad) return bad;
      const body = {
        name: request.name,
        schema: request.schema,
        ...(request.partitionSpec === undefined ? {} : { "partition-spec": request.partitionSpec }),
        ...(request.writeOrder === undefined ? {} : { "write-order": request.writeOrder }),
        ...(request.location === undefined ? {} : { location: request.location }),
        properties: { ...request.properties },
        "stage-create": false,
      };
      const url = paths.tables(s, namespace);
      const reply = await this.#http.send("createTable", "POST", url, body);
      if (!reply.ok) return reply;
      return readLoadedTable({ operation: "createTable", method: "POST", url }, reply.value.body);
    });
  }

  async loadTable(table: TableIdentifier): Promise<Result<LoadedTable, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkTable(table, s.separator);
      if (bad) return bad;
      const url = paths.table(s, table.namespace, table.name);
      const reply = await this.#http.send("loadTable", "GET", url);
      if (!reply.ok) return reply;
      return readLoadedTable({ operation: "loadTable", method: "GET", url }, reply.value.body);
    });
  }

  /** Whether the table exists (`HEAD` when the server announces it, else a load). */
  async tableExists(table: TableIdentifier): Promise<Result<boolean, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkTable(table, s.separator);
      if (bad) return bad;
      const reply = announces(s, "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}")
        ? await this.#http.send("tableExists", "HEAD", paths.table(s, table.namespace, table.name))
        : await this.loadTable(table);
      if (reply.ok) return Ok(true);
      const code = reply.error.code;
      return code === "NO_SUCH_TABLE" || code === "NO_SUCH_NAMESPACE" ? Ok(false) : reply;
    });
  }

  /**
   * Sends `POST .../tables/{table}` with the requirements and updates, once: a 409 is
   * `COMMIT_CONFLICT`, a 5xx or lost response `COMMIT_STATE_UNKNOWN`. The caller re-plans.
   */
  async commitTable(
    table: TableIdentifier,
    requirements: readonly TableRequirement[],
    updates: readonly TableUpdate[],
  ): Promise<Result<LoadedTable, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkTable(table, s.separator);
      if (bad) return bad;
      const url = paths.table(s, table.namespace, table.name);
      const body = {
        identifier: { namespace: [...table.namespace], name: table.name },
        requirements,
        updates,
      };
      const reply = await this.#http.send("updateTable", "POST", url, body);
      if (!reply.ok) return reply;
      return readLoadedTable({ operation: "updateTable", method: "POST", url }, reply.value.body);
    });
  }

  async dropTable(
    table: TableIdentifier,
    options: { purge?: boolean } = {},
  ): Promise<Result<void, LakeSyncError>> {
    return this.#with(async (s) => {
      const bad = checkTable(table, s.separator);
      if (bad) return bad;
      const query = new URLSearchParams({ purgeRequested: String(options.purge === true) });
      const url = `${paths.table(s, table.namespace, table.name)}?${query}`;
      const reply = await this.#http.send("dropTable", "DELETE", url);
      return reply.ok ? Ok(undefined) : reply;
    });
  }

  /** Nothing to release: requests hold no connection between calls. */
  async close(): Promise<void> {}

  #sessionOnce(): Promise<Result<CatalogueSession, LakeSyncError>> {
    if (this.#problem !== undefined)
      return Promise.resolve(invalid(`${this.name}: ${this.#problem}`));
    if (!this.#session) {
      const client: Record<string, string> = {};
      if (this.#options.warehouse !== undefined) client.warehouse = this.#options.warehouse;
      if (this.#options.prefix !== undefined) client.prefix = this.#options.prefix;
      if (this.#options.pageSize !== undefined)
        client["rest-page-size"] = String(this.#options.pageSize);
      this.#session = loadSession(this.#http, this.#uri, client).then((session) => {
        if (!session.ok)
          this.#session = undefined; // the next call asks again
        else this.#adoptTokenEndpoint(session.value);
        return session;
      });
    }
    return this.#session;
  }

  #adoptTokenEndpoint(session: CatalogueSession): void {
    const endpoint = session.properties["oauth2-server-uri"];
    if (!this.#oauth || this.#options.oauth2ServerUri !== undefined || endpoint === undefined)
      return;
    try {
      this.#oauth.useEndpoint(new URL(endpoint, `${this.#uri}/`).toString());
    } catch {
      // an unusable endpoint in the server's configuration: keep the one that worked
    }
  }

  async #with<T>(
    run: (session: CatalogueSession) => Promise<Result<T, LakeSyncError>>,
  ): Promise<Result<T, LakeSyncError>> {
    const session = await this.#sessionOnce();
    return session.ok ? run(session.value) : session;
  }
}
