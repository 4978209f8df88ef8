/**
 * @module index
 * The Worker entry: `/health` here, every gateway route forwarded to the Durable Object named
 * by the gateway id.
 */
import { Hono } from "hono";
import type { Env } from "./env.js";

export { SyncGatewayDO } from "./gateway-do.js";

const GATEWAY_ID = /^[A-Za-z0-9_.-]{1,128}$/;

const app = new Hono<{ Bindings: Env }>();

app.get("/health", (c) => c.json({ status: "ok" }));

const forward = (gatewayId: string, env: Env, request: Request): Response | Promise<Response> => {
  if (!GATEWAY_ID.test(gatewayId))
    return Response.json(
      { code: "INVALID_INPUT", message: "gateway ids are 1-128 characters of A-Z a-z 0-9 _ . -" },
      { status: 400 },
    );
  return env.GATEWAY.get(env.GATEWAY.idFromName(gatewayId)).fetch(request);
};

app.all("/sync/:gatewayId/*", (c) => forward(c.req.param("gatewayId"), c.env, c.req.raw));
app.all("/admin/:action/:gatewayId", (c) => forward(c.req.param("gatewayId"), c.env, c.req.raw));
app.notFound((c) =>
  c.json({ code: "NOT_FOUND", message: `no route for ${c.req.method} ${c.req.path}` }, 404),
);

export default app;
