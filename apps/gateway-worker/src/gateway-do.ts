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
  type Subscriber,
  SyncGateway,
  type TokenVerifier,
} from "@lakesync/gateway";
import { initParquet } from "@lakesync/parquet";
import { encodeSyncNotification } from "@lakesync/proto";
import type { Hono } from "hono";
import parquetWasm from "parquet-wasm/esm/parquet_wasm_bg.wasm";
import { AlarmCompaction, alarmCompactionSettings, earliest } from "./alarm-compaction.js";
import { durableObjectSql } from "./do-store.js";
import type { Env } from "./env.js";
import { workerFlushTarget, workerLake } from "./flush-target.js";
import { lakeCheckpointOptions } from "./lake-checkpoints.js";
import { addLakeObjectRoute } from "./lake-object-route.js";
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
  /** Compaction checks multiplexed on the alarm (set when the gateway opens, if configured). */
  #compaction: AlarmCompaction | undefined;

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
      const lake = workerLake(this.env);
      if (!lake.ok) return lake;
      const settings = alarmCompactionSettings(this.env);
      if (lake.value && settings)
        this.#compaction = new AlarmCompaction({
          settings,
          lake: lake.value,
          namespace: [gatewayId],
          storage: this.ctx.storage,
        });
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
        ...lakeCheckpointOptions(this.env, lake.value),
      });
      if (!opened.ok) {
        this.#gateway = undefined;
        return opened;
      }
      const gateway = opened.value;
      gateway.subscribe((change) => {
        // Each socket gets the change as its own claims let it through (they survive
        // hibernation in its attachment); a socket without them only hears "changed".
        for (const socket of this.ctx.getWebSockets()) {
          const subscriber = subscriberOf(socket.deserializeAttachment());
          const bytes = subscriber
            ? change.encodeFor(subscriber)
            : encodeSyncNotification({ serverHlc: change.serverHlc, tables: [], deltas: [] });
          if (bytes.ok) socket.send(bytes.value);
        }
        void this.#scheduleFlush(gateway);
      });
      return Ok(gateway);
    });
    return this.#gateway;
  }

  /** Sets the alarm for the next flush or compaction check (every write arms a check). */
  async #scheduleFlush(gateway: SyncGateway): Promise<void> {
    const at = earliest(gateway.nextFlushAt(), await this.#compaction?.arm(Date.now()));
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
      websocket: (c, _gateway, _principal, subscriber) => {
        const pair = new WebSocketPair();
        const [client, server] = [pair[0], pair[1]];
        try {
          server.serializeAttachment(subscriber);
        } catch {
          return c.json(
            {
              code: "INVALID_INPUT",
              message: "the token's claims are too large to keep with a WebSocket (2 KiB)",
            },
            400,
          );
        }
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
    addLakeObjectRoute(this.#app, verifier, this.env.LAKE);
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

  /**
   * Flushes when due, then runs the compaction check when due (a flush arms one); a failed flush,
   * one not yet due, or a pending check sets the next alarm.
   */
  override async alarm(): Promise<void> {
    const id = await this.ctx.storage.get<string>(GATEWAY_ID_KEY);
    if (!id) return;
    const gateway = await this.#open(id);
    if (!gateway.ok) {
      await this.ctx.storage.setAlarm(Date.now() + 30_000);
      return;
    }
    const flushed = await gateway.value.tick();
    const compaction = this.#compaction;
    if (compaction && flushed.ok && flushed.value) await compaction.arm(Date.now());
    const due = await compaction?.runIfDue(Date.now());
    const next = earliest(gateway.value.nextFlushAt(), due);
    if (next !== undefined) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 100));
  }

  override async webSocketMessage(): Promise<void> {
    // Subscribers only listen; anything they send is ignored.
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    socket.close(code === 1005 ? 1000 : code, "closing");
  }
}

/** The subscriber kept in a socket's attachment, or `undefined` if it holds none (or garbage). */
function subscriberOf(attachment: unknown): Subscriber | undefined {
  if (typeof attachment !== "object" || attachment === null) return undefined;
  const { claims, clientId } = attachment as { claims?: unknown; clientId?: unknown };
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return undefined;
  return {
    claims: claims as Subscriber["claims"],
    ...(typeof clientId === "string" ? { clientId } : {}),
  };
}
