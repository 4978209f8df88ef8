/**
 * @module lake-object-route
 * `GET /admin/object/:gatewayId?key=…`: one file of a gateway's Iceberg tables in R2 (keys under
 * `{gatewayId}/`), read-only, to the gateway's admins, so tools and tests read the Worker's lake
 * as the Node host's `GET /lake/*` lets them read its own.
 */
import type { TokenVerifier } from "@lakesync/gateway";
import type { Hono } from "hono";

/** Adds the route of the module comment to `app`. */
export function addLakeObjectRoute(app: Hono, verifier: TokenVerifier, bucket: R2Bucket): void {
  app.get("/admin/object/:gatewayId", async (c) => {
    const gatewayId = c.req.param("gatewayId");
    const principal = await verifier(c.req.header("authorization"), gatewayId, true);
    if (!principal.ok)
      return c.json(
        { code: principal.error.code, message: principal.error.message },
        principal.error.status,
      );
    const key = c.req.query("key") ?? "";
    if (!key.startsWith(`${gatewayId}/`) || key.split("/").includes(".."))
      return c.json(
        { code: "INVALID_INPUT", message: `key must name a file under ${gatewayId}/` },
        400,
      );
    const object = await bucket.get(key);
    if (!object) return c.json({ code: "NOT_FOUND", message: `no lake file ${key}` }, 404);
    return new Response(object.body, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(object.size),
      },
    });
  });
}
