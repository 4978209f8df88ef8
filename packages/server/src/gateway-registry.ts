/**
 * @module gateway-registry
 * The gateways this server serves: configured ids (or a pattern) and those an admin created,
 * each opened on first use over its own SQLite store.
 */
import { join } from "node:path";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  describeFlushFailure,
  type FlushTargetSpec,
  SyncGateway,
  type SyncGatewayOptions,
  validateGatewayId,
} from "@lakesync/gateway";
import { type GatewayStoreOptions, openGatewayStore, storeExists } from "./gateway-store.js";

/** How the registry opens each gateway. */
export interface RegistryOptions {
  /** Each gateway's store lives in `{dataDir}/gateways/{id}/gateway.sqlite`. */
  readonly dataDir: string;
  /** How stores are opened (durability, row cache); defaults `full` and 20,000 rows. */
  readonly store?: GatewayStoreOptions;
  readonly target: FlushTargetSpec | undefined;
  readonly flushMaxBytes: number;
  readonly flushMaxAgeMs: number;
  /** Ids served without being created first. */
  readonly gatewayIds?: readonly string[];
  /** Ids matching this are served too. */
  readonly gatewayPattern?: RegExp;
  /** Extra options for every gateway (schema policy, limits). */
  readonly gatewayOptions?: Partial<SyncGatewayOptions>;
  /** Called once after a gateway is opened for the first time in this process. */
  readonly onOpen?: (gateway: SyncGateway) => Promise<void>;
  /** Where failures of automatic flushes are reported (once per failure). */
  readonly log?: (message: string) => void;
}

/**
 * Opens gateways lazily and exactly once (concurrent first requests share the opening), runs
 * their automatic flushes on a timer, and closes them all (flushing) on shutdown. An id that is
 * neither configured nor created is `GATEWAY_NOT_FOUND`, and nothing is written for it.
 */
export class GatewayRegistry {
  readonly #options: RegistryOptions;
  readonly #gateways = new Map<string, Promise<Result<SyncGateway, LakeSyncError>>>();
  readonly #timer: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(options: RegistryOptions, tickMs = 1_000) {
    this.#options = options;
    this.#timer = setInterval(() => void this.#tick(), tickMs);
    this.#timer.unref();
  }

  /** The gateway for an id, opening it on first use. */
  get(id: string): Promise<Result<SyncGateway, LakeSyncError>> {
    const existing = this.#gateways.get(id);
    if (existing) return existing;
    const valid = validateGatewayId(id);
    if (!valid.ok) return Promise.resolve(valid);
    if (!this.#exists(id))
      return Promise.resolve(
        Err(
          new LakeSyncError(
            "GATEWAY_NOT_FOUND",
            `there is no gateway "${id}": configure it (LAKESYNC_GATEWAYS) or create it (POST /admin/gateways/${id})`,
          ),
        ),
      );
    return this.#opening(id);
  }

  /** Creates a gateway (or finds it); `created` says whether it is new. */
  async create(
    id: string,
  ): Promise<Result<{ gateway: SyncGateway; created: boolean }, LakeSyncError>> {
    const valid = validateGatewayId(id);
    if (!valid.ok) return valid;
    const created = !this.#gateways.has(id) && !this.#exists(id);
    const opened = await (this.#gateways.get(id) ?? this.#opening(id));
    return opened.ok ? Ok({ gateway: opened.value, created }) : opened;
  }

  #exists(id: string): boolean {
    const o = this.#options;
    return (
      (o.gatewayIds ?? []).includes(id) ||
      (o.gatewayPattern?.test(id) ?? false) ||
      storeExists(join(o.dataDir, "gateways", id))
    );
  }

  #opening(id: string): Promise<Result<SyncGateway, LakeSyncError>> {
    const opening = this.#open(id);
    this.#gateways.set(id, opening);
    void opening.then((result) => {
      if (!result.ok) this.#gateways.delete(id);
    });
    return opening;
  }

  async #open(id: string): Promise<Result<SyncGateway, LakeSyncError>> {
    const o = this.#options;
    const log = o.log ?? ((message: string) => console.error(message));
    const store = await openGatewayStore(
      join(o.dataDir, "gateways", id),
      o.store ?? { durability: "full", cacheRows: 20_000 },
    );
    if (!store.ok) return store;
    const opened = await SyncGateway.open({
      gatewayId: id,
      store: store.value,
      ...(o.target ? { target: o.target } : {}),
      autoFlush: { maxBytes: o.flushMaxBytes, maxAgeMs: o.flushMaxAgeMs },
      onFlushError: (table, error) => log(describeFlushFailure(id, table, error)),
      ...o.gatewayOptions,
    });
    if (!opened.ok) return opened;
    if (o.onOpen) await o.onOpen(opened.value);
    return Ok(opened.value);
  }

  async #tick(): Promise<void> {
    if (this.#closed) return;
    for (const opening of this.#gateways.values()) {
      const gateway = await opening;
      if (gateway.ok) await gateway.value.tick();
    }
  }

  /** Flushes and closes every open gateway; returns the first error, if any. */
  async close(): Promise<Result<void, LakeSyncError>> {
    this.#closed = true;
    clearInterval(this.#timer);
    let first: LakeSyncError | undefined;
    for (const opening of this.#gateways.values()) {
      const gateway = await opening;
      if (!gateway.ok) continue;
      const closed = await gateway.value.close();
      if (!closed.ok) first ??= closed.error;
    }
    this.#gateways.clear();
    return first ? Err(first) : Ok(undefined);
  }
}
