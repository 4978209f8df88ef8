import { Err, LakeSyncError, Ok, unwrapOrThrow } from "@lakesync/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { CatalogueError } from "../../errors.js";
import { createIcebergRestApp, SERVED_ENDPOINTS } from "../rest-server.js";
import { BASE, restHarness, SCHEMA, serverCatalogue, snapshot, spec } from "./support/harness.js";

const json = { "content-type": "application/json" };

/** Sends a raw request (bodies the spec would refuse) and checks the answer is an IcebergErrorResponse. */
async function refused(
  harness: Awaited<ReturnType<typeof restHarness>>,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; type: string; message: string }> {
  const response = await harness.raw(`${BASE}${path}`, {
    method,
    headers: json,
    ...(body === undefined ? {} : { body }),
  });
  const parsed = (await response.json()) as {
    error: { type: string; message: string; code: number };
  };
  expect(spec().check("#/components/schemas/IcebergErrorResponse", parsed)).toEqual([]);
  expect(parsed.error.code).toBe(response.status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  return { status: response.status, type: parsed.error.type, message: parsed.error.message };
}

async function withTable() {
  const harness = await restHarness();
  const client = harness.client();
  unwrapOrThrow(await client.createNamespace(["lakesync"]));
  unwrapOrThrow(await client.createTable(["lakesync"], { name: "todos", schema: SCHEMA }));
  return harness;
}

describe("createIcebergRestApp", () => {
  it("announces its endpoints and prefix in GET /v1/config", async () => {
    const harness = await restHarness({
      prefix: "main",
      defaults: { warehouse: "s3://lake/warehouse" },
    });
    const response = await harness.fetch(`${BASE}/v1/config`, { method: "GET" });
    expect(await response.json()).toEqual({
      defaults: { warehouse: "s3://lake/warehouse" },
      overrides: { prefix: "main" },
      endpoints: [...SERVED_ENDPOINTS],
    });
    expect(harness.violations).toEqual([]);
  });

  it("answers HEAD with 204 for an existing namespace or table and 404 otherwise, without a body", async () => {
    const harness = await withTable();
    const head = (path: string) => harness.fetch(`${BASE}/v1${path}`, { method: "HEAD" });
    expect((await head("/namespaces/lakesync")).status).toBe(204);
    expect((await head("/namespaces/nowhere")).status).toBe(404);
    expect((await head("/namespaces/lakesync/tables/todos")).status).toBe(204);
    expect((await head("/namespaces/lakesync/tables/nope")).status).toBe(404);
    expect(harness.violations).toEqual([]);
  });

  it.each([
    ["POST", "/v1/namespaces", "{not json", /not valid JSON/],
    ["POST", "/v1/namespaces", "", /JSON request body is required/],
    ["POST", "/v1/namespaces", '{"namespace": "flat"}', /namespace: expected an array/],
    ["POST", "/v1/namespaces", '{"namespace": []}', /at least one level/],
    [
      "POST",
      "/v1/namespaces",
      '{"namespace": ["a"], "properties": {"k": 1}}',
      /properties\.k: expected a string/,
    ],
    ["POST", "/v1/namespaces/lakesync/tables", '{"name": "t"}', /schema.*required but missing/],
    [
      "POST",
      "/v1/namespaces/lakesync/tables",
      '{"name": "t", "schema": {"fields": [{"id": 1}]}}',
      /name.*required/,
    ],
    [
      "POST",
      "/v1/namespaces/lakesync/tables",
      `{"name": "t", "schema": ${JSON.stringify(SCHEMA)}, "stage-create": true}`,
      /staged table creation/,
    ],
    ["POST", "/v1/namespaces/lakesync/tables/todos", '{"updates": []}', /requirements.*required/],
    [
      "POST",
      "/v1/namespaces/lakesync/tables/todos",
      '{"requirements": [], "updates": [{"action": "teleport"}]}',
      /unknown or unsupported update action "teleport"/,
    ],
    [
      "POST",
      "/v1/namespaces/lakesync/tables/todos",
      '{"requirements": [{"type": "assert-magic"}], "updates": []}',
      /unknown requirement type "assert-magic"/,
    ],
    [
      "POST",
      "/v1/namespaces/lakesync/tables/todos",
      '{"requirements": [{"type": "assert-ref-snapshot-id", "ref": "main"}], "updates": []}',
      /snapshot-id: is required/,
    ],
    [
      "POST",
      "/v1/namespaces/lakesync/tables/todos",
      JSON.stringify({
        requirements: [],
        updates: [{ action: "add-snapshot", snapshot: { ...snapshot(1, 1), "snapshot-id": 1.5 } }],
      }),
      /snapshot-id: expected an integer/,
    ],
    [
      "DELETE",
      "/v1/namespaces/lakesync/tables/todos?purgeRequested=maybe",
      undefined,
      /purgeRequested must be true or false/,
    ],
    [
      "GET",
      "/v1/namespaces?pageToken=&pageSize=0",
      undefined,
      /pageSize must be a positive integer/,
    ],
    ["GET", "/v1/namespaces/%1F", undefined, /invalid namespace in path/],
  ])(
    "%s %s with a malformed request is a 400 naming the problem (%#)",
    async (method, path, body, message) => {
      const answer = await refused(await withTable(), method, path, body);
      expect(answer).toMatchObject({ status: 400, type: "BadRequestException" });
      expect(answer.message).toMatch(message);
    },
  );

  it("refuses a body larger than maxBodyBytes with 413", async () => {
    const harness = await restHarness({ maxBodyBytes: 64 });
    const body = JSON.stringify({ namespace: ["a"], properties: { pad: "x".repeat(100) } });
    const answer = await refused(harness, "POST", "/v1/namespaces", body);
    expect(answer.status).toBe(413);
  });

  it("answers operations of the spec it does not implement with 406, and unknown paths with a JSON 404", async () => {
    const harness = await withTable();
    const rename =
      '{"source": {"namespace": ["a"], "name": "x"}, "destination": {"namespace": ["a"], "name": "y"}}';
    expect(await refused(harness, "POST", "/v1/tables/rename", rename)).toMatchObject({
      status: 406,
      type: "UnsupportedOperationException",
    });
    expect(await refused(harness, "GET", "/v1/namespaces/lakesync/views")).toMatchObject({
      status: 406,
    });
    expect(await refused(harness, "GET", "/v2/anything")).toMatchObject({
      status: 404,
      type: "NotFoundException",
    });
    expect(await refused(harness, "PUT", "/v1/namespaces")).toMatchObject({ status: 404 });
  });

  it("maps catalogue errors to the spec's statuses and exception types", async () => {
    const failing = await serverCatalogue();
    failing.commitTable = async () =>
      Err(new CatalogueError("COMMIT_STATE_UNKNOWN", "lost the database"));
    failing.loadTable = async () =>
      Err(new CatalogueError("CATALOGUE_UNAVAILABLE", "database down"));
    failing.listTables = async () => {
      throw new Error("boom");
    };
    const harness = await restHarness({}, failing);
    const commit = '{"requirements": [], "updates": []}';
    expect(await refused(harness, "POST", "/v1/namespaces/a/tables/t", commit)).toMatchObject({
      status: 500,
      type: "CommitStateUnknownException",
      message: "lost the database",
    });
    expect(await refused(harness, "GET", "/v1/namespaces/a/tables/t")).toMatchObject({
      status: 503,
      type: "ServiceUnavailableException",
    });
    expect(await refused(harness, "GET", "/v1/namespaces/a/tables")).toMatchObject({
      status: 500,
      type: "InternalServerError",
      message: "unexpected failure: boom",
    });
  });

  it("calls authorise before every route: a refusal is 401 with WWW-Authenticate, FORBIDDEN is 403", async () => {
    const harness = await restHarness({
      authorise: (request) => {
        const header = request.headers.get("authorization");
        if (header === "Bearer admin") return Ok(undefined);
        if (header === "Bearer reader")
          return Err(new LakeSyncError("FORBIDDEN", "admin claim required"));
        return Err(new LakeSyncError("UNAUTHORISED", "a bearer token is required"));
      },
    });
    const anonymous = await harness.raw(`${BASE}/v1/config`, { method: "GET" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toBe(
      "a bearer token is required",
    );
    const missing = await harness.client().listNamespaces();
    expect(missing.ok ? undefined : missing.error.code).toBe("UNAUTHORISED");
    expect(missing.ok ? "" : missing.error.message).toMatch(
      /getConfig \(GET \/iceberg\/v1\/config\) failed with 401 NotAuthorizedException: a bearer token is required/,
    );
    const reader = await harness.client({ token: "reader" }).listNamespaces();
    expect(reader.ok ? undefined : reader.error.code).toBe("FORBIDDEN");
    expect(unwrapOrThrow(await harness.client({ token: "admin" }).listNamespaces())).toEqual([]);
    expect(harness.violations).toEqual([]);
  });

  it("serves the same routes at the root of a host and under any base path", async () => {
    const app = unwrapOrThrow(createIcebergRestApp(await serverCatalogue()));
    expect((await app.request("/v1/namespaces")).status).toBe(200);
    const host = new Hono().route("/catalogues/lake", app);
    expect((await host.request("/catalogues/lake/v1/namespaces")).status).toBe(200);
    expect((await host.request("/v1/namespaces")).status).toBe(404);
  });

  it("refuses a prefix that cannot be a single path segment", async () => {
    const made = createIcebergRestApp(await serverCatalogue(), { prefix: "a/b" });
    expect(made.ok ? undefined : made.error.code).toBe("INVALID_INPUT");
  });
});
