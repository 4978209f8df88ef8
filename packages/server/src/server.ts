/**
 * @module server
 * The self-hosted gateway: the shared hono routes on Node, WebSockets, static files, dev tokens.
 */
import "@lakesync/parquet/node";
import { existsSync } from "node:fs";
import { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, upgradeWebSocket, type WebSocketServerLike } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Catalogue, createIcebergRestApp, type LakeLocation } from "@lakesync/catalogue";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  createGatewayApp,
  createTokenVerifier,
  type FlushTargetSpec,
  type SyncGatewayOptions,
} from "@lakesync/gateway";
import { Hono } from "hono";
import { WebSocketServer } from "ws";
import type { ServerConfig } from "./config.js";
import { devToken, prepareTodoGateway } from "./dev-mode.js";
import { GatewayRegistry } from "./gateway-registry.js";
import { lakeFiles } from "./lake-files.js";

/** A started server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly port: number;
  readonly gateways: GatewayRegistry;
  /** Stops accepting connections, flushes every gateway and closes the logs. */
  close(): Promise<Result<void, LakeSyncError>>;
}

/** Options beyond the configuration, mostly for tests. */
export interface StartOptions {
  /** The flush target; built from the configuration by the caller (see `createFlushTarget`). */
  readonly target?: FlushTargetSpec;
  /**
   * The lake's Iceberg catalogue and warehouse: served as the Iceberg REST catalogue API under
   * `/iceberg` (admin tokens), so engines that speak REST attach to this server directly.
   */
  readonly lake?: { readonly catalogue: Catalogue; readonly location: LakeLocation };
  readonly gatewayOptions?: Partial<SyncGatewayOptions>;
}

/**
 * Starts the gateway on `config.host:config.port` (port 0 picks a free one). Routes are those
 * of `createGatewayApp`, plus `GET /dev/token?sub=&admin=` in development mode (the built-in
 * secret) and the static files of `config.staticDir` at `/`.
 */
export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<Result<RunningServer, LakeSyncError>> {
  const verifier = createTokenVerifier({
    ...(config.jwtSecret === undefined ? {} : { secret: config.jwtSecret }),
    ...(config.jwksUrl === undefined ? {} : { jwksUrl: config.jwksUrl }),
  });
  if (!verifier.ok) return verifier;
  const gateways = new GatewayRegistry({
    dataDir: config.dataDir,
    store: config.store,
    target: options.target,
    flushMaxBytes: config.flushMaxBytes,
    flushMaxAgeMs: config.flushMaxAgeMs,
    gatewayIds: config.gatewayIds,
    ...(config.gatewayPattern ? { gatewayPattern: config.gatewayPattern } : {}),
    gatewayOptions: { maxValueBytes: config.maxValueBytes, ...options.gatewayOptions },
    ...(config.devSecret ? { onOpen: prepareTodoGateway } : {}),
  });

  const api = createGatewayApp({
    resolve: (id) => gateways.get(id),
    create: (id) => gateways.create(id),
    verifier: verifier.value,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.corsOrigins.length > 0
      ? { corsOrigins: config.corsOrigins.includes("*") ? "*" : config.corsOrigins }
      : {}),
    websocket: (c, gateway, _principal, subscriber) => {
      let stop: (() => void) | undefined;
      const handler = upgradeWebSocket(() => ({
        onOpen(_event, ws) {
          // Each change as this subscriber's sync rules let it through (its own writes left
          // out), or only "changed" when too large: the client pulls then.
          stop = gateway.subscribe((change) => {
            if (ws.readyState !== 1) return;
            const bytes = change.encodeFor(subscriber);
            if (bytes.ok) ws.send(bytes.value as Uint8Array<ArrayBuffer>);
          });
        },
        onClose() {
          stop?.();
        },
        onError() {
          stop?.();
        },
      }));
      return handler(c, async () => {}).then(
        (response) =>
          response ?? c.json({ code: "INVALID_INPUT", message: "not a WebSocket upgrade" }, 426),
      );
    },
  });

  const app = new Hono();
  if (config.devSecret && config.jwtSecret) {
    const secret = config.jwtSecret;
    app.get("/dev/token", async (c) => {
      const sub = c.req.query("sub") ?? "";
      if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(sub))
        return c.json(
          { code: "INVALID_INPUT", message: "sub must be 1-64 characters of A-Z a-z 0-9 _ . @ -" },
          400,
        );
      return c.json({ token: await devToken(secret, sub, c.req.query("admin") === "1") });
    });
  }
  app.route("/", api);
  if (options.lake) {
    const rest = createIcebergRestApp(options.lake.catalogue, {
      defaults: { warehouse: options.lake.location.warehouse },
      authorise: async (request) => {
        const principal = await verifier.value(
          request.headers.get("authorization") ?? undefined,
          "*",
          true,
        );
        return principal.ok ? Ok(undefined) : principal;
      },
    });
    if (!rest.ok) return rest;
    app.route("/iceberg", rest.value);
    app.route("/lake", lakeFiles(options.lake.location, verifier.value));
  }
  // API paths never fall through to the app's index.html: an unknown one is a JSON 404.
  for (const prefix of ["/sync", "/admin", "/dev", "/iceberg", "/lake"])
    app.all(`${prefix}/*`, (c) =>
      c.json({ code: "NOT_FOUND", message: `no route for ${c.req.method} ${c.req.path}` }, 404),
    );
  if (config.staticDir && existsSync(config.staticDir)) {
    app.use("/*", serveStatic({ root: config.staticDir }));
    app.get("/*", serveStatic({ root: config.staticDir, path: "index.html" }));
  }

  const wss = new WebSocketServer({ noServer: true });
  let listening: (info: AddressInfo) => void = () => {};
  const server = serve(
    {
      fetch: app.fetch,
      port: config.port,
      hostname: config.host,
      websocket: { server: wss as unknown as WebSocketServerLike },
    },
    (info) => listening(info),
  );
  const address = await new Promise<Result<AddressInfo, LakeSyncError>>((resolve) => {
    listening = (info) => resolve(Ok(info));
    server.once("error", (cause) =>
      resolve(
        Err(
          new LakeSyncError("LISTEN_FAILED", `cannot listen on ${config.host}:${config.port}`, {
            cause,
          }),
        ),
      ),
    );
  });
  if (!address.ok) {
    await gateways.close();
    return address;
  }
  // Idle keep-alive connections outlive a load balancer's (60 s by convention) and a busy
  // client's, so neither reuses a socket the gateway is closing at that instant (ECONNRESET).
  if (server instanceof HttpServer) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  const port = address.value.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return Ok({
    url: `http://${host}:${port}`,
    port,
    gateways,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (server instanceof HttpServer) server.closeAllConnections();
      });
      return gateways.close();
    },
  });
}
