/**
 * @module index
 * The Worker entry: `/health` here, every gateway route forwarded to the Durable Object named
 * by the gateway id.
 */
import { validateGatewayId } from "@lakesync/gateway";
import { Hono } from "hono";
import type { Env } from "./env.js";

export { SyncGatewayDO } from "./gateway-do.js";

const app = new Hono<{ Bindings: Env }>();

app.get("/health", (c) => c.json({ status: "ok" }));

const forward = (gatewayId: string, env: Env, request: Request): Response | Promise<Response> => {
  const valid = validateGatewayId(gatewayId);
  if (!valid.ok)
    return Response.json({ code: valid.error.code, message: valid.error.message }, { status: 400 });
  return env.GATEWAY.get(env.GATEWAY.idFromName(gatewayId)).fetch(request);
};

app.all("/sync/:gatewayId/*", (c) => forward(c.req.param("gatewayId"), c.env, c.req.raw));
app.all("/admin/:action/:gatewayId", (c) => forward(c.req.param("gatewayId"), c.env, c.req.raw));
app.notFound((c) =>
  c.json({ code: "NOT_FOUND", message: `no route for ${c.req.method} ${c.req.path}` }, 404),
);

export default app;
