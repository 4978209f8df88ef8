/**
 * @module http/app
 * The HTTP routes every gateway host shares (Node, Cloudflare Workers), as a hono app.
 */
import { type Claims, LakeSyncError, parseHLC, type Result } from "@lakesync/core";
import { decodeSyncPush, encodeSyncResponse, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import type { SyncGateway } from "../gateway/sync-gateway.js";
import type { Subscriber } from "../notify/realtime-change.js";
import type { Principal, TokenVerifier } from "./auth.js";
import { checkpointFrameStream } from "./checkpoint-frames.js";
import { validateGatewayId } from "./gateway-id.js";
import { readBody, readJson } from "./request-body.js";
import { errorResponse, fail, jsonText, protoResponse } from "./responses.js";

/** Options for {@link createGatewayApp}. */
export interface GatewayAppOptions {
  /**
   * Finds (or starts) the gateway for an id; an `Err` is answered with its status. A gateway
   * that does not exist (not configured, never created) must be `GATEWAY_NOT_FOUND` (404), and
   * nothing may be written for it.
   */
  readonly resolve: (gatewayId: string) => Promise<Result<SyncGateway, LakeSyncError>>;
  /**
   * Creates a gateway (admin route `POST /admin/gateways/:gatewayId`); `created` is false when it
   * already existed. Without it the route answers 501.
   */
  readonly create?: (
    gatewayId: string,
  ) => Promise<Result<{ gateway: SyncGateway; created: boolean }, LakeSyncError>>;
  readonly verifier: TokenVerifier;
  /** Largest accepted request body in bytes (413 above). Defaults to 8 MiB. */
  readonly maxBodyBytes?: number;
  /** Origins allowed by CORS (`"*"` for any); CORS headers are off without it. */
  readonly corsOrigins?: "*" | readonly string[];
  /**
   * Handles `GET /sync/:gatewayId/ws` after the token (header, or `?token=` since browsers
   * cannot set headers on a WebSocket) was verified. `subscriber` holds the token's claims and
   * the `?client=` id: send it `change.encodeFor(subscriber)` for every change the gateway
   * reports (`gateway.subscribe`). Without it the route answers 501.
   */
  readonly websocket?: (
    c: Context,
    gateway: SyncGateway,
    principal: Principal,
    subscriber: Subscriber,
  ) => Response | Promise<Response>;
}

const DEFAULT_MAX_BODY = 8 * 1024 * 1024;
/** The longest `?client=` id a WebSocket subscriber may give. */
const MAX_CLIENT_ID = 256;

/**
 * Builds the gateway's HTTP API (DESIGN.md, "Sync protocol"):
 *
 * - `GET /health` (no token);
 * - `POST /sync/:gatewayId/push` (SyncPush in, SyncResponse out, protobuf);
 * - `GET /sync/:gatewayId/pull?since=&max=&client=` (SyncResponse);
 * - `GET /sync/:gatewayId/checkpoint` (length-prefixed CheckpointChunk frames, header
 *   `x-lakesync-snapshot-hlc`);
 * - `GET /sync/:gatewayId/schema` (JSON `{version, tables}`);
 * - `GET /sync/:gatewayId/ws?client=` (WebSocket: each change's deltas as the caller's sync
 *   rules let them through, through the host's handler);
 * - `POST /admin/flush|sync-rules|schema/:gatewayId`, `GET /admin/stats/:gatewayId` and
 *   `POST /admin/gateways/:gatewayId` (create) (JSON; admin claim);
 * - `GET /admin/log/:gatewayId?since=&max=` (the raw log, unfiltered by sync rules, as a
 *   SyncResponse; admin claim).
 *
 * Every failure is a JSON `{code, message}` body with a 4xx/5xx status; nothing a client sends
 * can make a route throw.
 */
export function createGatewayApp(options: GatewayAppOptions): Hono {
  const app = new Hono();
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  if (options.corsOrigins) {
    const origins = options.corsOrigins;
    app.use(
      "*",
      cors({
        origin: origins === "*" ? "*" : [...origins],
        allowHeaders: ["authorization", "content-type"],
        allowMethods: ["GET", "POST", "OPTIONS"],
        exposeHeaders: ["x-lakesync-snapshot-hlc", "x-lakesync-chunk-count"],
        maxAge: 600,
      }),
    );
  }
  app.onError((error, c) =>
    errorResponse(c, new LakeSyncError("INTERNAL", `unexpected failure: ${error.message}`), 500),
  );
  app.notFound((c) => fail(c, "NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`, 404));

  app.get("/health", (c) => c.json({ status: "ok" }));

  /** Verifies the caller and finds the gateway, or answers the error. */
  const enter = async (
    c: Context,
    admin: boolean,
    token?: string,
  ): Promise<Response | { gateway: SyncGateway; principal: Principal; claims: Claims }> => {
    const valid = validateGatewayId(c.req.param("gatewayId"));
    if (!valid.ok) return errorResponse(c, valid.error, 400);
    const id = valid.value;
    const header = token === undefined ? c.req.header("authorization") : `Bearer ${token}`;
    const principal = await options.verifier(header, id, admin);
    if (!principal.ok) return errorResponse(c, principal.error, principal.error.status);
    const gateway = await options.resolve(id);
    if (!gateway.ok) return errorResponse(c, gateway.error);
    return { gateway: gateway.value, principal: principal.value, claims: principal.value.claims };
  };

  app.post("/sync/:gatewayId/push", async (c) => {
    const ctx = await enter(c, false);
    if (ctx instanceof Response) return ctx;
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith(PROTO_CONTENT_TYPE))
      return fail(c, "UNSUPPORTED_MEDIA_TYPE", `push bodies must be ${PROTO_CONTENT_TYPE}`, 415);
    const body = await readBody(c, max);
    if (!body.ok) return errorResponse(c, body.error);
    const push = decodeSyncPush(body.value);
    if (!push.ok) return errorResponse(c, push.error, 400);
    const ack = await ctx.gateway.handlePush(push.value, ctx.claims);
    if (!ack.ok) return errorResponse(c, ack.error);
    const { serverHlc, refused, restore } = ack.value;
    const bytes = encodeSyncResponse({
      deltas: restore?.deltas ?? [],
      serverHlc,
      hasMore: false,
      ...(refused.length > 0 ? { refused } : {}),
      ...(restore && restore.evicted.length > 0 ? { evicted: restore.evicted } : {}),
    });
    if (!bytes.ok) return errorResponse(c, bytes.error, 500);
    return protoResponse(c, bytes.value);
  });

  app.get("/sync/:gatewayId/pull", async (c) => {
    const ctx = await enter(c, false);
    if (ctx instanceof Response) return ctx;
    const sinceText = c.req.query("since") ?? "0";
    const since = parseHLC(sinceText);
    if (!since.ok) return errorResponse(c, since.error, 400);
    const maxText = c.req.query("max") ?? "0";
    if (!/^\d{1,9}$/.test(maxText))
      return fail(
        c,
        "INVALID_INPUT",
        `max must be a non-negative integer, got ${JSON.stringify(maxText)}`,
        400,
      );
    const clientId = c.req.query("client") ?? ctx.principal.subject;
    const page = await ctx.gateway.handlePull(
      { clientId, sinceHlc: since.value, maxDeltas: Number(maxText) },
      ctx.claims,
    );
    if (!page.ok) return errorResponse(c, page.error);
    const bytes = encodeSyncResponse(page.value);
    if (!bytes.ok) return errorResponse(c, bytes.error, 500);
    return protoResponse(c, bytes.value);
  });

  app.get("/sync/:gatewayId/checkpoint", async (c) => {
    const ctx = await enter(c, false);
    if (ctx instanceof Response) return ctx;
    const budgetText = c.req.query("budget");
    const budget = budgetText === undefined ? undefined : Number(budgetText);
    if (budget !== undefined && !Number.isSafeInteger(budget))
      return fail(c, "INVALID_INPUT", "budget must be an integer number of bytes", 400);
    const plan = await ctx.gateway.checkpoint(
      ctx.claims,
      budget === undefined ? {} : { budgetBytes: budget },
    );
    if (!plan.ok) return errorResponse(c, plan.error);
    return c.body(checkpointFrameStream(plan.value.chunks()), 200, {
      "content-type": "application/x-lakesync-checkpoint",
      "x-lakesync-snapshot-hlc": plan.value.snapshotHlc.toString(),
      "x-lakesync-chunk-count": String(plan.value.chunkCount),
    });
  });

  app.get("/sync/:gatewayId/schema", async (c) => {
    const ctx = await enter(c, false);
    if (ctx instanceof Response) return ctx;
    return c.json(ctx.gateway.schemas());
  });

  app.get("/sync/:gatewayId/ws", async (c) => {
    const ctx = await enter(
      c,
      false,
      c.req.header("authorization") ? undefined : (c.req.query("token") ?? ""),
    );
    if (ctx instanceof Response) return ctx;
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      return fail(c, "INVALID_INPUT", "this route needs a WebSocket upgrade", 426);
    if (!options.websocket)
      return fail(c, "NOT_IMPLEMENTED", "this host has no WebSocket support", 501);
    const clientId = c.req.query("client");
    if (clientId !== undefined && (clientId.length === 0 || clientId.length > MAX_CLIENT_ID))
      return fail(c, "INVALID_INPUT", `client must be 1-${MAX_CLIENT_ID} characters`, 400);
    return options.websocket(c, ctx.gateway, ctx.principal, {
      claims: ctx.claims,
      ...(clientId === undefined ? {} : { clientId }),
    });
  });

  app.post("/admin/gateways/:gatewayId", async (c) => {
    const valid = validateGatewayId(c.req.param("gatewayId"));
    if (!valid.ok) return errorResponse(c, valid.error, 400);
    const principal = await options.verifier(c.req.header("authorization"), valid.value, true);
    if (!principal.ok) return errorResponse(c, principal.error, principal.error.status);
    if (!options.create)
      return fail(c, "NOT_IMPLEMENTED", "this host does not create gateways on request", 501);
    const created = await options.create(valid.value);
    if (!created.ok) return errorResponse(c, created.error);
    return c.json(
      { gatewayId: valid.value, created: created.value.created },
      created.value.created ? 201 : 200,
    );
  });

  app.post("/admin/flush/:gatewayId", async (c) => {
    const ctx = await enter(c, true);
    if (ctx instanceof Response) return ctx;
    const report = await ctx.gateway.flush();
    if (!report.ok) return errorResponse(c, report.error);
    return c.body(jsonText({ flushed: report.value }), 200, { "content-type": "application/json" });
  });

  app.get("/admin/log/:gatewayId", async (c) => {
    const ctx = await enter(c, true);
    if (ctx instanceof Response) return ctx;
    const since = parseHLC(c.req.query("since") ?? "0");
    if (!since.ok) return errorResponse(c, since.error, 400);
    const maxText = c.req.query("max") ?? "0";
    if (!/^\d{1,9}$/.test(maxText))
      return fail(c, "INVALID_INPUT", "max must be a non-negative integer", 400);
    const page = ctx.gateway.readLog(since.value, Number(maxText));
    if (!page.ok) return errorResponse(c, page.error);
    const bytes = encodeSyncResponse(page.value);
    if (!bytes.ok) return errorResponse(c, bytes.error, 500);
    return protoResponse(c, bytes.value);
  });

  app.get("/admin/stats/:gatewayId", async (c) => {
    const ctx = await enter(c, true);
    if (ctx instanceof Response) return ctx;
    return c.json(ctx.gateway.stats());
  });

  app.post("/admin/sync-rules/:gatewayId", async (c) => {
    const ctx = await enter(c, true);
    if (ctx instanceof Response) return ctx;
    const document = await readJson(c, max);
    if (!document.ok) return errorResponse(c, document.error);
    const rules = await ctx.gateway.setSyncRules(document.value);
    if (!rules.ok)
      return errorResponse(
        c,
        rules.error,
        rules.error.code === "SCHEMA_MISMATCH" ? 400 : undefined,
      );
    return c.json({ syncRules: rules.value });
  });

  app.get("/admin/sync-rules/:gatewayId", async (c) => {
    const ctx = await enter(c, true);
    if (ctx instanceof Response) return ctx;
    return c.json({ syncRules: ctx.gateway.syncRules ?? null });
  });

  app.post("/admin/schema/:gatewayId", async (c) => {
    const ctx = await enter(c, true);
    if (ctx instanceof Response) return ctx;
    const document = await readJson(c, max);
    if (!document.ok) return errorResponse(c, document.error);
    // A schema that cannot be registered (invalid, reserved names, not additive) is a 422.
    const schemas = await ctx.gateway.setSchema(document.value);
    if (!schemas.ok) return errorResponse(c, schemas.error);
    return c.json(schemas.value);
  });

  return app;
}
