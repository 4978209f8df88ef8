import { describe, expect, it } from "vitest";
import type { FetchLike } from "../http-exchange.js";
import { NessieCatalogueClient } from "../nessie-catalogue.js";
import { R2DataCatalogueClient } from "../r2-data-catalogue.js";
import { RestCatalogue, type RestCatalogueOptions } from "../rest-catalogue.js";
import { flushCommit } from "./support/harness.js";

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

type Answer = (url: string, init: RequestInit) => Response | Promise<Response>;

const configBody = (extra: object = {}) => Response.json({ defaults: {}, overrides: {}, ...extra });
const errorBody = (code: number, type: string, message: string) =>
  Response.json({ error: { message, type, code } }, { status: code });

/** A client whose server is `answer` (config answered unless `answer` handles it), recording calls and back-off delays. */
function scripted(answer: Answer, options: Partial<RestCatalogueOptions> = {}) {
  const calls: Call[] = [];
  const delays: number[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method ?? "GET", headers: new Headers(init.headers) });
    return answer(url, init);
  };
  const client = new RestCatalogue({
    uri: "http://catalogue.test",
    fetch,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { client, calls, delays };
}

const withConfig =
  (rest: Answer): Answer =>
  (url, init) =>
    url.includes("/v1/config") ? configBody() : rest(url, init);

const TODOS = { namespace: ["lakesync"], name: "todos" };
const commit = flushCommit(1, 1, null);

describe("RestCatalogue error handling", () => {
  it.each([500, 502, 503, 504])(
    "a commit answered %i is COMMIT_STATE_UNKNOWN and is sent once",
    async (status) => {
      const { client, calls } = scripted(
        withConfig(() => errorBody(status, "CommitStateUnknownException", "maybe")),
      );
      const result = await client.commitTable(TODOS, commit.requirements, commit.updates);
      expect(result.ok ? undefined : result.error.code).toBe("COMMIT_STATE_UNKNOWN");
      expect(result.ok ? "" : result.error.message).toBe(
        `updateTable (POST /v1/namespaces/lakesync/tables/todos) failed with ${status} CommitStateUnknownException: maybe`,
      );
      expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
    },
  );

  it("a commit whose connection fails is COMMIT_STATE_UNKNOWN, never retried", async () => {
    const { client, calls } = scripted(
      withConfig(() => {
        throw new TypeError("fetch failed");
      }),
    );
    const result = await client.commitTable(TODOS, commit.requirements, commit.updates);
    expect(result.ok ? undefined : result.error.code).toBe("COMMIT_STATE_UNKNOWN");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });

  it("retries a GET answered 503 with exponential back-off", async () => {
    let failures = 2;
    const { client, delays } = scripted(
      withConfig(() =>
        failures-- > 0
          ? errorBody(503, "SlowDownException", "busy")
          : Response.json({ namespaces: [] }),
      ),
    );
    expect(await client.listNamespaces()).toEqual({ ok: true, value: [] });
    expect(delays).toEqual([200, 400]);
  });

  it("honours Retry-After on 429, capped by maxDelayMs", async () => {
    const waits = ["2", "3600"];
    const { client, delays } = scripted(
      withConfig(() => {
        const after = waits.shift();
        return after === undefined
          ? Response.json({ namespaces: [] })
          : new Response("slow down", { status: 429, headers: { "retry-after": after } });
      }),
    );
    expect((await client.listNamespaces()).ok).toBe(true);
    expect(delays).toEqual([2000, 5000]);
  });

  it("gives up after the configured attempts with CATALOGUE_UNAVAILABLE naming the request and the server's message", async () => {
    const { client, calls } = scripted(
      withConfig(() => errorBody(503, "SlowDownException", "still busy")),
      {
        retry: { attempts: 2 },
      },
    );
    const result = await client.loadTable(TODOS);
    expect(result.ok ? undefined : result.error.code).toBe("CATALOGUE_UNAVAILABLE");
    expect(result.ok ? "" : result.error.message).toBe(
      "loadTable (GET /v1/namespaces/lakesync/tables/todos) failed with 503 SlowDownException: still busy",
    );
    expect(calls.filter((c) => c.url.includes("/tables/"))).toHaveLength(3);
  });

  it("never retries a create on 503", async () => {
    const { client, calls } = scripted(
      withConfig(() => errorBody(503, "SlowDownException", "busy")),
    );
    const result = await client.createNamespace(["lakesync"]);
    expect(result.ok ? undefined : result.error.code).toBe("CATALOGUE_UNAVAILABLE");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });

  it("retries a GET whose connection fails, then reports CATALOGUE_UNAVAILABLE", async () => {
    const { client, calls } = scripted(() => {
      throw new TypeError("connect ECONNREFUSED 127.0.0.1:8181");
    });
    const result = await client.listNamespaces();
    expect(result.ok ? undefined : result.error.code).toBe("CATALOGUE_UNAVAILABLE");
    expect(result.ok ? "" : result.error.message).toMatch(
      /getConfig \(GET \/v1\/config\) could not reach the catalogue \(connect ECONNREFUSED/,
    );
    expect(calls).toHaveLength(4);
  });

  it("aborts a request that outlives its timeout", async () => {
    const hanging: Answer = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    const { client } = scripted(hanging, { timeoutMs: 5, retry: { attempts: 0 } });
    const result = await client.listNamespaces();
    expect(result.ok ? undefined : result.error.code).toBe("CATALOGUE_UNAVAILABLE");
    expect(result.ok ? "" : result.error.message).toMatch(
      /getConfig \(GET \/v1\/config\) timed out/,
    );
  });

  it("reports 401 as UNAUTHORISED and 403 as FORBIDDEN, without retrying a static token", async () => {
    const unauthorised = scripted(() => errorBody(401, "NotAuthorizedException", "token expired"), {
      token: "t",
    });
    const one = await unauthorised.client.listNamespaces();
    expect(one.ok ? undefined : one.error.code).toBe("UNAUTHORISED");
    expect(one.ok ? "" : one.error.message).toMatch(
      /failed with 401 NotAuthorizedException: token expired/,
    );
    expect(unauthorised.calls).toHaveLength(1);
    const forbidden = scripted(
      withConfig(() => errorBody(403, "ForbiddenException", "no grant")),
      { token: "t" },
    );
    const two = await forbidden.client.dropTable(TODOS);
    expect(two.ok ? undefined : two.error.code).toBe("FORBIDDEN");
  });

  it("a 2xx body that is not JSON is CATALOGUE_UNAVAILABLE, or COMMIT_STATE_UNKNOWN after a commit", async () => {
    const { client } = scripted(
      withConfig(() => new Response("<html>proxy</html>", { status: 200 })),
    );
    const load = await client.loadTable(TODOS);
    expect(load.ok ? undefined : load.error.code).toBe("CATALOGUE_UNAVAILABLE");
    const committed = await client.commitTable(TODOS, commit.requirements, commit.updates);
    expect(committed.ok ? undefined : committed.error.code).toBe("COMMIT_STATE_UNKNOWN");
  });

  it("table metadata LakeSync cannot read is INVALID_INPUT naming the request", async () => {
    const v1 = { "format-version": 1, "table-uuid": "u", location: "s3://x" };
    const { client } = scripted(
      withConfig(() => Response.json({ "metadata-location": "s3://x/m.json", metadata: v1 })),
    );
    const result = await client.loadTable(TODOS);
    expect(result.ok ? undefined : result.error.code).toBe("INVALID_INPUT");
    expect(result.ok ? "" : result.error.message).toMatch(
      /^loadTable \(GET .*\): .*format version/,
    );
  });

  it("stops on a repeated next-page-token instead of looping", async () => {
    const { client } = scripted(
      withConfig(() => Response.json({ namespaces: [["a"]], "next-page-token": "same" })),
    );
    const result = await client.listNamespaces();
    expect(result.ok ? undefined : result.error.code).toBe("CATALOGUE_UNAVAILABLE");
  });

  it("sends extra headers and the warehouse, and asks the server whether a table exists with GET unless HEAD is announced", async () => {
    const { client, calls } = scripted(
      withConfig(() => errorBody(404, "NoSuchTableException", "no such table")),
      { headers: { "x-tenant": "acme" }, warehouse: "s3://lake" },
    );
    expect(await client.tableExists(TODOS)).toEqual({ ok: true, value: false });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET http://catalogue.test/v1/config?warehouse=s3%3A%2F%2Flake",
      "GET http://catalogue.test/v1/namespaces/lakesync/tables/todos",
    ]);
    expect(calls.every((c) => c.headers.get("x-tenant") === "acme")).toBe(true);
  });

  it("uses the namespace separator the server configures", async () => {
    const { client, calls } = scripted((url) =>
      url.includes("/v1/config")
        ? configBody({ overrides: { "namespace-separator": "%2E" } })
        : Response.json({ namespaces: [] }),
    );
    expect((await client.listNamespaces(["a", "b"])).ok).toBe(true);
    expect(calls[1]?.url).toBe("http://catalogue.test/v1/namespaces?parent=a.b");
  });

  it("refuses namespaces it cannot encode and URIs that are not http(s)", async () => {
    const { client, calls } = scripted(withConfig(() => Response.json({})));
    const empty = await client.loadNamespace([]);
    expect(empty.ok ? undefined : empty.error.code).toBe("INVALID_INPUT");
    const separator = await client.loadNamespace(["a\u001fb"]);
    expect(separator.ok ? undefined : separator.error.code).toBe("INVALID_INPUT");
    expect(calls.filter((c) => !c.url.includes("/v1/config"))).toHaveLength(0);
    const bad = new RestCatalogue({ uri: "file:///tmp/catalogue" });
    const result = await bad.listNamespaces();
    expect(result.ok ? undefined : result.error.code).toBe("INVALID_INPUT");
  });
});

describe("catalogue presets", () => {
  it("NessieCatalogueClient asks the branch's config, then follows Nessie's uri override and prefix", async () => {
    const calls: string[] = [];
    const fetch: FetchLike = async (url) => {
      calls.push(url);
      if (url.includes("/v1/config"))
        return configBody({
          defaults: { prefix: "main%7Csales", warehouse: "s3://sales" },
          overrides: { uri: "http://nessie:19120/iceberg/", "nessie.is-nessie-catalog": "true" },
        });
      return Response.json({ namespaces: [["lakesync"]] });
    };
    const nessie = new NessieCatalogueClient({
      uri: "http://nessie:19120/iceberg",
      warehouse: "sales",
      fetch,
    });
    expect(nessie.ref).toBe("main");
    expect(await nessie.listNamespaces()).toEqual({ ok: true, value: [["lakesync"]] });
    expect(calls).toEqual([
      "http://nessie:19120/iceberg/main/v1/config?warehouse=sales",
      "http://nessie:19120/iceberg/v1/main%7Csales/namespaces",
    ]);
  });

  it("R2DataCatalogueClient derives the catalogue URI and warehouse from the account and bucket", async () => {
    const calls: Call[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, method: init.method ?? "GET", headers: new Headers(init.headers) });
      return url.includes("/v1/config")
        ? configBody({ overrides: { prefix: "acc_lake-id" } })
        : Response.json({ identifiers: [] });
    };
    const r2 = new R2DataCatalogueClient({
      accountId: "acc",
      bucket: "lake",
      token: "cf-token",
      fetch,
    });
    expect((await r2.listTables(["default"])).ok).toBe(true);
    expect(calls.map((c) => c.url)).toEqual([
      "https://catalog.cloudflarestorage.com/acc/lake/v1/config?warehouse=acc_lake",
      "https://catalog.cloudflarestorage.com/acc/lake/v1/acc_lake-id/namespaces/default/tables",
    ]);
    expect(calls.every((c) => c.headers.get("authorization") === "Bearer cf-token")).toBe(true);
  });
});
