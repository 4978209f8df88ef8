import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Err, LakeSyncError, Ok, unwrapOrThrow } from "@lakesync/core";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchLike } from "../http-exchange.js";
import { RestCatalogue } from "../rest-catalogue.js";
import { createIcebergRestApp } from "../rest-server.js";
import { flushCommit, SCHEMA, serverCatalogue, spec } from "./support/harness.js";
import { validatingFetch } from "./support/openapi-validator.js";

describe("RestCatalogue against the REST app served on a real port by @hono/node-server", () => {
  let server: ServerType;
  let base = "";
  const violations: string[] = [];

  beforeAll(async () => {
    const host = new Hono();
    const iceberg = createIcebergRestApp(await serverCatalogue(), {
      prefix: "lake",
      authorise: (request) =>
        request.headers.get("authorization") === "Bearer admin-token"
          ? Ok(undefined)
          : Err(new LakeSyncError("UNAUTHORISED", "the admin token is required")),
    });
    host.route("/iceberg", unwrapOrThrow(iceberg));
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: host.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    base = `http://127.0.0.1:${port}/iceberg`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function client(token?: string): RestCatalogue {
    const fetch: FetchLike = validatingFetch((input, init) => globalThis.fetch(input, init), {
      base,
      prefix: "lake",
      spec: spec(),
      violations,
    });
    return new RestCatalogue({ uri: base, fetch, ...(token === undefined ? {} : { token }) });
  }

  it("creates, commits and reloads a table over HTTP, every exchange matching the spec", async () => {
    const admin = client("admin-token");
    unwrapOrThrow(await admin.createNamespace(["lakesync"]));
    unwrapOrThrow(await admin.createTable(["lakesync"], { name: "todos", schema: SCHEMA }));
    const todos = { namespace: ["lakesync"], name: "todos" };
    const first = flushCommit(7, 1, null);
    unwrapOrThrow(await admin.commitTable(todos, first.requirements, first.updates));
    const stale = await admin.commitTable(
      todos,
      first.requirements,
      flushCommit(8, 2, null).updates,
    );
    expect(stale.ok ? undefined : stale.error.code).toBe("COMMIT_CONFLICT");
    const loaded = unwrapOrThrow(await admin.loadTable(todos));
    expect(loaded.metadata["current-snapshot-id"]).toBe(7);
    expect(unwrapOrThrow(await admin.listTables(["lakesync"]))).toEqual([todos]);
    expect(violations).toEqual([]);
  });

  it("refuses a client without the admin token with 401", async () => {
    const anonymous = await client().listNamespaces();
    expect(anonymous.ok ? undefined : anonymous.error.code).toBe("UNAUTHORISED");
    expect(violations).toEqual([]);
  });
});
