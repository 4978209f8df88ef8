import { HLC_ZERO, Ok, unwrapOrThrow } from "@lakesync/core";
import {
  decodeCheckpointChunk,
  decodeSyncResponse,
  encodeSyncPush,
  PROTO_CONTENT_TYPE,
} from "@lakesync/proto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  delta,
  FakeLake,
  hlcAt,
  ManualClock,
  OWNER_RULES,
  TODOS,
  testStore,
} from "../../__tests__/fixtures.js";
import { SyncGateway } from "../../gateway/sync-gateway.js";
import { createGatewayApp } from "../app.js";
import { createTokenVerifier } from "../auth.js";

const SECRET = "a-development-secret-of-at-least-32-bytes";
const token = (claims: Record<string, unknown>, exp: string | number = "1h") =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(SECRET));

async function setup(maxBodyBytes = 64 * 1024) {
  const clock = new ManualClock();
  const lake = new FakeLake();
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      store: testStore(),
      gatewayId: "gw1",
      now: clock.now,
      autoFlush: false,
      syncRules: OWNER_RULES,
      target: { kind: "lake", adapter: lake, format: "json" },
    }),
  );
  unwrapOrThrow(await gateway.setSchema(TODOS));
  const app = createGatewayApp({
    resolve: async (id) => (id === "gw1" ? Ok(gateway) : Ok(gateway)),
    verifier: unwrapOrThrow(createTokenVerifier({ secret: SECRET })),
    maxBodyBytes,
    corsOrigins: ["https://app.example"],
  });
  const alice = `Bearer ${await token({ sub: "alice", gw: "gw1" })}`;
  const bob = `Bearer ${await token({ sub: "bob" })}`;
  const admin = `Bearer ${await token({ sub: "ops", admin: true })}`;
  const push = (auth: string, deltas: ReturnType<typeof delta>[], clientId = "client-a") =>
    app.request("/sync/gw1/push", {
      method: "POST",
      headers: { authorization: auth, "content-type": PROTO_CONTENT_TYPE },
      body: unwrapOrThrow(
        encodeSyncPush({ clientId, deltas, lastSeenHlc: HLC_ZERO }),
      ) as Uint8Array<ArrayBuffer>,
    });
  const pull = async (auth: string, since = "0") => {
    const response = await app.request(`/sync/gw1/pull?since=${since}&max=100&client=c`, {
      headers: { authorization: auth },
    });
    return unwrapOrThrow(decodeSyncResponse(new Uint8Array(await response.arrayBuffer())));
  };
  return { app, gateway, clock, lake, alice, bob, admin, push, pull };
}

describe("gateway HTTP routes", () => {
  it("push and pull round-trip protobuf bodies, filtered per user", async () => {
    const { clock, alice, bob, push, pull } = await setup();
    const mine = delta({
      rowId: "a1",
      hlc: hlcAt(clock, 0, 1),
      columns: { title: "A", owner: "alice" },
    });
    const theirs = delta({
      rowId: "b1",
      clientId: "client-b",
      hlc: hlcAt(clock, 0, 2),
      columns: { title: "B", owner: "bob" },
    });
    const response = await push(alice, [mine]);
    expect(response.status).toBe(200);
    expect((await push(bob, [theirs], "client-b")).status).toBe(200);
    expect(response.headers.get("content-type")).toBe(PROTO_CONTENT_TYPE);
    const ack = unwrapOrThrow(decodeSyncResponse(new Uint8Array(await response.arrayBuffer())));
    expect(ack.serverHlc > 0n).toBe(true);
    expect((await pull(alice)).deltas).toEqual([mine]);
    expect((await pull(bob)).deltas).toEqual([theirs]);
  });

  it("answers 401 without a token, with a forged one or an expired one, and 403 for another gateway", async () => {
    const { app } = await setup();
    const status = async (auth?: string, path = "/sync/gw1/pull") =>
      (await app.request(path, auth ? { headers: { authorization: auth } } : {})).status;
    expect(await status()).toBe(401);
    expect(await status("Bearer not.a.jwt")).toBe(401);
    const forged = await new SignJWT({ sub: "x" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("another-secret-that-is-also-32-bytes-long"));
    expect(await status(`Bearer ${forged}`)).toBe(401);
    expect(
      await status(`Bearer ${await token({ sub: "x" }, Math.floor(Date.now() / 1000) - 3600)}`),
    ).toBe(401);
    expect(await status(`Bearer ${await token({ sub: "x", gw: "other" })}`)).toBe(403);
    const body = await (await app.request("/sync/gw1/pull")).json();
    expect(body).toMatchObject({
      code: "UNAUTHORISED",
      message: expect.stringContaining("bearer"),
    });
  });

  it("admin routes need the admin claim", async () => {
    const { app, alice, admin } = await setup();
    const flush = (auth: string) =>
      app.request("/admin/flush/gw1", { method: "POST", headers: { authorization: auth } });
    expect((await flush(alice)).status).toBe(403);
    expect((await flush(admin)).status).toBe(200);
  });

  it("rejects oversized (413), malformed (400) and wrongly typed (415) push bodies, storing nothing", async () => {
    const { app, gateway, alice } = await setup(1024);
    const send = (body: Uint8Array, type = PROTO_CONTENT_TYPE) =>
      app.request("/sync/gw1/push", {
        method: "POST",
        headers: { authorization: alice, "content-type": type },
        body: body as Uint8Array<ArrayBuffer>,
      });
    const big = await send(new Uint8Array(4096));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    const garbage = await send(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]));
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).code).toBe("INVALID_INPUT");
    expect((await send(new Uint8Array([1]), "application/json")).status).toBe(415);
    expect(gateway.stats().logEntries).toBe(0);
  });

  it("reads a body of declared length whole, and still refuses one past the limit", async () => {
    const { app, gateway, alice, clock } = await setup(1024);
    const send = (body: Uint8Array, declared: number) =>
      app.request("/sync/gw1/push", {
        method: "POST",
        headers: {
          authorization: alice,
          "content-type": PROTO_CONTENT_TYPE,
          "content-length": String(declared),
        },
        body: body as Uint8Array<ArrayBuffer>,
      });
    const push = unwrapOrThrow(
      encodeSyncPush({
        clientId: "client-a",
        deltas: [
          delta({ rowId: "d1", hlc: hlcAt(clock), columns: { title: "declared", owner: "alice" } }),
        ],
        lastSeenHlc: HLC_ZERO,
      }),
    );
    expect((await send(push, push.byteLength)).status).toBe(200);
    expect(gateway.stats().logEntries).toBe(1);
    expect((await send(new Uint8Array(4096), 4096)).status).toBe(413);
    // A length that understates the body (no HTTP parser would pass it on) is caught too.
    expect((await send(new Uint8Array(4096), 10)).status).toBe(413);
    expect(gateway.stats().logEntries).toBe(1);
  });

  it("maps gateway errors to statuses: clock drift 409, schema 422, bad cursor 400", async () => {
    const { app, clock, alice, push } = await setup();
    const drift = await push(alice, [
      delta({ rowId: "x", hlc: hlcAt(clock, 60_000), columns: { title: "x" } }),
    ]);
    expect(drift.status).toBe(409);
    expect((await drift.json()).code).toBe("CLOCK_DRIFT");
    const schema = await push(alice, [
      delta({ rowId: "x", hlc: hlcAt(clock), columns: { nope: 1 } }),
    ]);
    expect(schema.status).toBe(422);
    const cursor = await app.request("/sync/gw1/pull?since=-1", {
      headers: { authorization: alice },
    });
    expect(cursor.status).toBe(400);
  });

  it("serves checkpoints as length-prefixed chunk frames with the snapshot HLC header", async () => {
    const { app, clock, alice, push } = await setup();
    await push(alice, [
      delta({ rowId: "a1", hlc: hlcAt(clock), columns: { title: "A", owner: "alice" } }),
    ]);
    const response = await app.request("/sync/gw1/checkpoint", {
      headers: { authorization: alice },
    });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const length = new DataView(bytes.buffer).getUint32(0, false);
    const chunk = unwrapOrThrow(decodeCheckpointChunk(bytes.subarray(4, 4 + length)));
    expect(chunk.chunkCount).toBe(1);
    expect(response.headers.get("x-lakesync-snapshot-hlc")).toBe(chunk.snapshotHlc.toString());
  });

  it("sets sync rules and schemas through admin JSON routes, rejecting invalid documents", async () => {
    const { app, admin } = await setup();
    const post = (path: string, body: string) =>
      app.request(path, {
        method: "POST",
        headers: { authorization: admin, "content-type": "application/json" },
        body,
      });
    expect((await post("/admin/sync-rules/gw1", "{not json")).status).toBe(400);
    expect((await post("/admin/sync-rules/gw1", JSON.stringify({ version: 2 }))).status).toBe(400);
    expect((await post("/admin/sync-rules/gw1", JSON.stringify(OWNER_RULES))).status).toBe(200);
    const grown = await post(
      "/admin/schema/gw1",
      JSON.stringify({ ...TODOS, columns: [...TODOS.columns, { name: "due", type: "string" }] }),
    );
    expect(grown.status).toBe(200);
    const dropped = await post(
      "/admin/schema/gw1",
      JSON.stringify({ table: "todos", columns: [] }),
    );
    expect(dropped.status).toBe(422);
  });

  it("answers CORS preflights for configured origins, and /health without a token", async () => {
    const { app } = await setup();
    const preflight = await app.request("/sync/gw1/push", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect((await app.request("/health")).status).toBe(200);
    expect((await app.request("/sync/bad%20id/pull")).status).toBe(400);
  });
});
