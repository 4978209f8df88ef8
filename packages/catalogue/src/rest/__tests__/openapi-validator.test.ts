import { describe, expect, it } from "vitest";
import type { FetchLike } from "../http-exchange.js";
import { spec } from "./support/harness.js";
import { validatingFetch } from "./support/openapi-validator.js";

/** A validating fetch whose server always answers `status` with `body`. */
function answering(status: number, body: unknown, prefix?: string) {
  const violations: string[] = [];
  const inner: FetchLike = async () =>
    new Response(body === undefined ? null : JSON.stringify(body), { status });
  const fetch = validatingFetch(inner, {
    base: "http://x/iceberg",
    prefix,
    spec: spec(),
    violations,
  });
  return { fetch, violations };
}

const json = { "content-type": "application/json" };

describe("the OpenAPI validator the REST tests rely on", () => {
  it("accepts an exchange that follows the spec", async () => {
    const { fetch, violations } = answering(200, { namespaces: [["a"]], "next-page-token": null });
    await fetch("http://x/iceberg/v1/namespaces?pageToken=&pageSize=10", { method: "GET" });
    expect(violations).toEqual([]);
  });

  it("flags a response body that does not match the operation's schema", async () => {
    const { fetch, violations } = answering(200, {
      namespaces: [["a"], ["a"]],
      "next-page-token": 5,
    });
    await fetch("http://x/iceberg/v1/namespaces", { method: "GET" });
    expect(violations.join("\n")).toMatch(/next-page-token must be string/);
    expect(violations.join("\n")).toMatch(/duplicate items/);
  });

  it("flags table metadata with a null current-snapshot-id (the spec wants an integer)", async () => {
    const body = {
      "metadata-location": "s3://x",
      metadata: { "format-version": 2, "table-uuid": "u", "current-snapshot-id": null },
    };
    const { fetch, violations } = answering(200, body);
    await fetch("http://x/iceberg/v1/namespaces/a/tables/t", { method: "GET" });
    expect(violations.join("\n")).toMatch(/current-snapshot-id must be integer/);
  });

  it("flags a request body that matches no TableUpdate", async () => {
    const { fetch, violations } = answering(409, {
      error: { message: "no", type: "CommitFailedException", code: 409 },
    });
    const body = JSON.stringify({
      requirements: [],
      updates: [{ action: "add-snapshot", snapshot: { "snapshot-id": 1 } }],
    });
    await fetch("http://x/iceberg/v1/namespaces/a/tables/t", {
      method: "POST",
      headers: json,
      body,
    });
    expect(violations.join("\n")).toMatch(
      /request body \/updates\/0\/snapshot must have required property 'manifest-list'/,
    );
  });

  it("flags undeclared statuses, query parameters and paths", async () => {
    const { fetch, violations } = answering(418, {});
    await fetch("http://x/iceberg/v1/config?bogus=1", { method: "GET" });
    await fetch("http://x/iceberg/v1/nothing", { method: "GET" });
    expect(violations).toEqual([
      "GET /iceberg/v1/config?bogus=1: query parameter bogus is not declared",
      "GET /iceberg/v1/config?bogus=1: status 418 is not declared for getConfig",
      "GET /iceberg/v1/nothing: no operation of the spec matches this method and path",
    ]);
  });

  it("matches paths with a prefix only when the prefix is the server's", async () => {
    const { fetch, violations } = answering(204, undefined, "main");
    await fetch("http://x/iceberg/v1/main/namespaces/a", { method: "DELETE" });
    expect(violations).toEqual([]);
    await fetch("http://x/iceberg/v1/other/namespaces/a", { method: "DELETE" });
    expect(violations).toHaveLength(1);
  });
});
