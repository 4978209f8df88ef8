/**
 * `GET /sync/:gatewayId/ws`: the host's handler gets the subscriber — the verified token's
 * claims and the `?client=` id — so each socket receives only its own share of every change.
 */
import { Ok, unwrapOrThrow } from "@lakesync/core";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { OWNER_RULES, TODOS, testStore } from "../../__tests__/fixtures.js";
import { SyncGateway } from "../../gateway/sync-gateway.js";
import type { Subscriber } from "../../notify/realtime-change.js";
import { createGatewayApp } from "../app.js";
import { createTokenVerifier } from "../auth.js";

const SECRET = "a-development-secret-of-at-least-32-bytes";

async function setup() {
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      store: testStore(),
      gatewayId: "gw1",
      autoFlush: false,
      syncRules: OWNER_RULES,
    }),
  );
  unwrapOrThrow(await gateway.setSchema(TODOS));
  const handed: Subscriber[] = [];
  const app = createGatewayApp({
    resolve: async () => Ok(gateway),
    verifier: unwrapOrThrow(createTokenVerifier({ secret: SECRET })),
    websocket: (_c, _gateway, _principal, subscriber) => {
      handed.push(subscriber);
      return new Response(null, { status: 200 });
    },
  });
  const token = await new SignJWT({ sub: "alice" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(SECRET));
  const open = (query: string, upgrade = true) =>
    app.request(`/sync/gw1/ws?token=${token}${query}`, {
      headers: upgrade ? { upgrade: "websocket" } : {},
    });
  return { handed, open };
}

describe("the WebSocket route", () => {
  it("hands the host the caller's verified claims and client id", async () => {
    const { handed, open } = await setup();
    expect((await open("&client=alice-phone")).status).toBe(200);
    expect(handed[0]?.clientId).toBe("alice-phone");
    expect(handed[0]?.claims.sub).toBe("alice");
  });

  it("without a client id, the subscriber gets every delta it may read (its own included)", async () => {
    const { handed, open } = await setup();
    expect((await open("")).status).toBe(200);
    expect(handed[0]).not.toHaveProperty("clientId");
  });

  it("refuses an empty or oversized client id, and a request that is no upgrade", async () => {
    const { handed, open } = await setup();
    expect((await open("&client=")).status).toBe(400);
    expect((await open(`&client=${"x".repeat(257)}`)).status).toBe(400);
    expect((await open("&client=a", false)).status).toBe(426);
    expect(handed).toEqual([]);
  });
});
