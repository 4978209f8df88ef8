/**
 * @module gateway-registry
 * One `SyncGateway` per gateway id, opened on first use over its own write-ahead log.
 */
import { join } from "node:path";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { type FlushTargetSpec, SyncGateway, type SyncGatewayOptions } from "@lakesync/gateway";
import { WalGatewayStore } from "./wal-store.js";

/** How the registry opens each gateway. */
export interface RegistryOptions {
  /** Each gateway's log lives in `{dataDir}/gateways/{id}/wal.log`. */
  readonly dataDir: string;
  readonly target: FlushTargetSpec | undefined;
  readonly flushMaxBytes: number;
  readonly flushMaxAgeMs: number;
  /** Extra options for every gateway (schema policy, limits). */
  readonly gatewayOptions?: Partial<SyncGatewayOptions>;
  /** Called once after a gateway is opened for the first time in this process. */
  readonly onOpen?: (gateway: SyncGateway) => Promise<void>;
}

/**
 * Opens gateways lazily and exactly once (concurrent first requests share the opening), runs
 * their automatic flushes on a timer, and closes them all (flushing) on shutdown.
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

  /** The gateway for an id, opening it (and replaying its log) on first use. */
  get(id: string): Promise<Result<SyncGateway, LakeSyncError>> {
    const existing = this.#gateways.get(id);
    if (existing) return existing;
    const opening = this.#open(id);
    this.#gateways.set(id, opening);
    void opening.then((result) => {
      if (!result.ok) this.#gateways.delete(id);
    });
    return opening;
  }

  async #open(id: string): Promise<Result<SyncGateway, LakeSyncError>> {
    const o = this.#options;
    const opened = await SyncGateway.open({
      gatewayId: id,
      store: new WalGatewayStore({ dir: join(o.dataDir, "gateways", id) }),
      ...(o.target ? { target: o.target } : {}),
      autoFlush: { maxBytes: o.flushMaxBytes, maxAgeMs: o.flushMaxAgeMs },
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
