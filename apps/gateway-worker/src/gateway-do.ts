/**
 * @module gateway-do
 * `SyncGatewayDO`: one Durable Object per gateway id, running the shared `SyncGateway`.
 */

import { DurableObject } from "cloudflare:workers";
import { R2Adapter } from "@lakesync/adapter";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  createGatewayApp,
  createTokenVerifier,
  describeFlushFailure,
  SqlGatewayStore,
  SyncGateway,
  type TokenVerifier,
} from "@lakesync/gateway";
import { initParquet } from "@lakesync/parquet";
import { encodeSyncNotification } from "@lakesync/proto";
import type { Hono } from "hono";
import parquetWasm from "parquet-wasm/esm/parquet_wasm_bg.wasm";
import { durableObjectSql } from "./do-store.js";
import type { Env } from "./env.js";
import { workerFlushTarget } from "./flush-target.js";
import { gatewayAllowed, intVar } from "./vars.js";

let parquetReady: Promise<Result<void, LakeSyncError>> | undefined;
const GATEWAY_ID_KEY = "lakesync-gateway-id";
/** Set when an admin created this gateway (`POST /admin/gateways/:id`). */
const CREATED_KEY = "lakesync-gateway-created";

/**
 * Holds one gateway's buffer and state in its SQLite-backed storage, acknowledges a push only
 * once it is stored, flushes Parquet to R2 from an alarm (never per push), and keeps realtime
 * WebSockets with the hibernation API so idle subscribers cost nothing.
 */
export class SyncGatewayDO extends DurableObject<Env> {
  #gateway: Promise<Result<SyncGateway, LakeSyncError>> | undefined;
  #app: Hono | undefined;
  #verifier: Result<TokenVerifier, LakeSyncError>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#verifier = createTokenVerifier({
      ...(env.JWT_SECRET ? { secret: env.JWT_SECRET } : {}),
      ...(env.JWKS_URL ? { jwksUrl: env.JWKS_URL } : {}),
    });
  }

  /**
   * The gateway, if it exists: configured (`GATEWAY_IDS`, `GATEWAY_PATTERN`) or created by an
   * admin. Otherwise `GATEWAY_NOT_FOUND`, and nothing is written to storage.
   */
  async #resolve(gatewayId: string): Promise<Result<SyncGateway, LakeSyncError>> {
    if (!this.#gateway) {
      const created = (await this.ctx.storage.get<boolean>(CREATED_KEY)) === true;
      if (!created && !gatewayAllowed(gatewayId, this.env))
        return Err(
          new LakeSyncError(
            "GATEWAY_NOT_FOUND",
            `there is no gateway "${gatewayId}": configure it (GATEWAY_IDS) or create it (POST /admin/gateways/${gatewayId})`,
          ),
        );
    }
    return this.#open(gatewayId);
  }

  /** Creates the gateway (an admin asked for it), or finds it. */
  async #create(
    gatewayId: string,
  ): Promise<Result<{ gateway: SyncGateway; created: boolean }, LakeSyncError>> {
    const created =
      !this.#gateway &&
      (await this.ctx.storage.get<boolean>(CREATED_KEY)) !== true &&
      !gatewayAllowed(gatewayId, this.env);
    if (created) await this.ctx.storage.put(CREATED_KEY, true);
    const opened = await this.#open(gatewayId);
    return opened.ok ? Ok({ gateway: opened.value, created }) : opened;
  }

  /** Opens the gateway once over its SQLite storage; the id is remembered for alarms. */
  #open(gatewayId: string): Promise<Result<SyncGateway, LakeSyncError>> {
    this.#gateway ??= this.ctx.blockConcurrencyWhile(async () => {
      parquetReady ??= initParquet(parquetWasm);
      const parquet = await parquetReady;
      if (!parquet.ok) return parquet;
      const target = workerFlushTarget(this.env);
      if (!target.ok) return target;
      await this.ctx.storage.put(GATEWAY_ID_KEY, gatewayId);
      const opened = await SyncGateway.open({
        gatewayId,
        store: new SqlGatewayStore(durableObjectSql(this.ctx.storage), {
          cacheRows: intVar(this.env.ROW_CACHE, 20_000),
        }),
        target: target.value,
        autoFlush: {
          maxBytes: intVar(this.env.FLUSH_MAX_BYTES, 4 * 1024 * 1024),
          maxAgeMs: intVar(this.env.FLUSH_MAX_AGE_MS, 30_000),
          onPush: false,
        },
        logRetention: intVar(this.env.LOG_RETENTION, 1_000_000),
        maxValueBytes: intVar(this.env.MAX_VALUE_BYTES, 1024 * 1024),
        onFlushError: (table, error) =>
          console.error(describeFlushFailure(gatewayId, table, error)),
      });
      if (!opened.ok) {
        this.#gateway = undefined;
        return opened;
      }
      const gateway = opened.value;
      gateway.subscribe((notification) => {
        const bytes = encodeSyncNotification(notification);
        if (bytes.ok) for (const socket of this.ctx.getWebSockets()) socket.send(bytes.value);
        void this.#scheduleFlush(gateway);
      });
      return Ok(gateway);
    });
    return this.#gateway;
  }

  async #scheduleFlush(gateway: SyncGateway): Promise<void> {
    const at = gateway.nextFlushAt();
    if (at === undefined) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  #routes(verifier: TokenVerifier): Hono {
    if (this.#app) return this.#app;
    const corsText = this.env.CORS_ORIGINS ?? "";
    const origins = corsText
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    this.#app = createGatewayApp({
      resolve: (id) => this.#resolve(id),
      create: (id) => this.#create(id),
      verifier,
      maxBodyBytes: intVar(this.env.MAX_BODY_BYTES, 8 * 1024 * 1024),
      ...(origins.length > 0 ? { corsOrigins: origins.includes("*") ? "*" : origins } : {}),
      websocket: () => {
        const pair = new WebSocketPair();
        const [client, server] = [pair[0], pair[1]];
        this.ctx.acceptWebSocket(server);
        return new Response(null, { status: 101, webSocket: client });
      },
    });
    this.#app.get("/admin/objects/:gatewayId", async (c) => {
      const principal = await verifier(
        c.req.header("authorization"),
        c.req.param("gatewayId"),
        true,
      );
      if (!principal.ok)
        return c.json(
          { code: principal.error.code, message: principal.error.message },
          principal.error.status,
        );
      const listed = await new R2Adapter(this.env.LAKE).listObjects(
        c.req.query("prefix") ?? "deltas/",
      );
      if (!listed.ok)
        return c.json({ code: listed.error.code, message: listed.error.message }, 502);
      return c.json({ objects: listed.value.map((o) => ({ key: o.key, size: o.size })) });
    });
    return this.#app;
  }

  override async fetch(request: Request): Promise<Response> {
    const verifier = this.#verifier;
    if (!verifier.ok)
      return Response.json(
        {
          code: "INVALID_CONFIG",
          message: `${verifier.error.message} (set the JWT_SECRET secret or JWKS_URL)`,
        },
        { status: 500 },
      );
    return this.#routes(verifier.value).fetch(request);
  }

  /** Flushes when due; a failed flush (or one not yet due) sets the next alarm. */
  override async alarm(): Promise<void> {
    const id = await this.ctx.storage.get<string>(GATEWAY_ID_KEY);
    if (!id) return;
    const gateway = await this.#open(id);
    if (!gateway.ok) {
      await this.ctx.storage.setAlarm(Date.now() + 30_000);
      return;
    }
    await gateway.value.tick();
    const next = gateway.value.nextFlushAt();
    if (next !== undefined) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 100));
  }

  override async webSocketMessage(): Promise<void> {
    // Subscribers only listen; anything they send is ignored.
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    socket.close(code === 1005 ? 1000 : code, "closing");
  }
}
