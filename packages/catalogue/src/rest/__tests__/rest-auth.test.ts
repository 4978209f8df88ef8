import { Err, LakeSyncError, Ok, unwrapOrThrow } from "@lakesync/core";
import type { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { IDP_TOKEN_URL, restHarness } from "./support/harness.js";

/** A catalogue that admits only the tokens in `valid`, and a fake token endpoint issuing them. */
async function securedCatalogue(tokenPath = "/iceberg/v1/oauth/tokens") {
  const valid = new Set<string>(["static-token"]);
  const grants: Record<string, string>[] = [];
  let issued = 0;
  const tokenEndpoint = (host: Hono) => {
    host.post(tokenPath, async (c) => {
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      grants.push(form);
      if (form.client_id !== "lakesync" || form.client_secret !== "s3cret")
        return c.json(
          { error: "invalid_client", error_description: "unknown client or wrong secret" },
          401,
        );
      const token = `oauth-token-${++issued}`;
      valid.add(token);
      return c.json({ access_token: token, token_type: "bearer", expires_in: 3600 });
    });
  };
  const harness = await restHarness(
    {
      authorise: (request) => {
        const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
        return token !== undefined && valid.has(token)
          ? Ok(undefined)
          : Err(new LakeSyncError("UNAUTHORISED", "a valid bearer token is required"));
      },
    },
    undefined,
    tokenEndpoint,
  );
  return { harness, valid, grants };
}

describe("REST catalogue authentication", () => {
  let violations: string[] = [];
  afterEach(() => {
    expect(violations).toEqual([]);
  });

  it("sends a static bearer token, which the server's authorise hook requires", async () => {
    const { harness } = await securedCatalogue();
    violations = harness.violations;
    const seen: (string | null)[] = [];
    const client = harness.client({
      token: "static-token",
      fetch: (input, init) => {
        seen.push(new Headers(init.headers).get("authorization"));
        return harness.fetch(input, init);
      },
    });
    unwrapOrThrow(await client.createNamespace(["lakesync"]));
    expect(seen).toEqual(["Bearer static-token", "Bearer static-token"]);
    const refused = await harness.client({ token: "wrong" }).listNamespaces();
    expect(refused.ok ? undefined : refused.error.code).toBe("UNAUTHORISED");
  });

  it("exchanges client credentials for a token, caches it, and fetches a new one before it expires", async () => {
    const { harness, grants } = await securedCatalogue();
    violations = harness.violations;
    let now = 1_000_000;
    const client = harness.client({ credential: "lakesync:s3cret", now: () => now });
    unwrapOrThrow(await client.createNamespace(["a"]));
    unwrapOrThrow(await client.listNamespaces());
    expect(grants).toEqual([
      {
        grant_type: "client_credentials",
        client_id: "lakesync",
        client_secret: "s3cret",
        scope: "catalog",
      },
    ]);
    now += 3_540_000 - 1; // just before the refresh margin (60 s before expiry)
    unwrapOrThrow(await client.listNamespaces());
    expect(grants).toHaveLength(1);
    now += 1;
    unwrapOrThrow(await client.listNamespaces());
    expect(grants).toHaveLength(2);
  });

  it("fetches a new token and repeats the request once when the catalogue answers 401", async () => {
    const { harness, valid, grants } = await securedCatalogue();
    violations = harness.violations;
    const client = harness.client({ credential: "lakesync:s3cret", scope: "PRINCIPAL_ROLE:ALL" });
    unwrapOrThrow(await client.createNamespace(["a"]));
    valid.delete("oauth-token-1"); // revoked on the server
    expect(unwrapOrThrow(await client.listNamespaces())).toEqual([["a"]]);
    expect(grants.map((g) => g.scope)).toEqual(["PRINCIPAL_ROLE:ALL", "PRINCIPAL_ROLE:ALL"]);
  });

  it("uses the oauth2-server-uri it is given, and reports a refused credential as UNAUTHORISED", async () => {
    const { harness, grants } = await securedCatalogue(new URL(IDP_TOKEN_URL).pathname);
    violations = harness.violations;
    const good = harness.client({ credential: "lakesync:s3cret", oauth2ServerUri: IDP_TOKEN_URL });
    unwrapOrThrow(await good.listNamespaces());
    expect(grants).toHaveLength(1);
    const bad = harness.client({ credential: "lakesync:nope", oauth2ServerUri: IDP_TOKEN_URL });
    const refused = await bad.listNamespaces();
    expect(refused.ok ? undefined : refused.error.code).toBe("UNAUTHORISED");
    expect(refused.ok ? "" : refused.error.message).toMatch(
      /getToken \(POST \/idp\/token\) failed with 401 invalid_client: unknown client or wrong secret/,
    );
  });

  it("refuses to start with both a token and a credential", async () => {
    const { harness } = await securedCatalogue();
    violations = harness.violations;
    const both = harness.client({ token: "t", credential: "a:b" });
    const answer = await both.listNamespaces();
    expect(answer.ok ? undefined : answer.error.code).toBe("INVALID_INPUT");
    expect(answer.ok ? "" : answer.error.message).toMatch(
      /either a token or a credential, not both/,
    );
  });
});
