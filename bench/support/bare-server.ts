/**
 * @module bench/support/bare-server
 * The baseline of the HTTP benchmark: a bare hono route on @hono/node-server that reads the body
 * and answers a body of the gateway's reply size. Prints its URL, then serves until killed.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const size = Number(process.argv[2] ?? 16);
const reply = new Uint8Array(size);
const app = new Hono();
app.post("/push", async (c) => {
  await c.req.arrayBuffer();
  return c.body(reply, 200, { "content-type": "application/x-protobuf" });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
