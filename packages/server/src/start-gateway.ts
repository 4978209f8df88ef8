/**
 * @module start-gateway
 * The whole self-hosted gateway from one configuration: the flush target it names, the HTTP
 * server, compaction and maintenance of its Iceberg lake and (`LAKESYNC_CHECKPOINTS=lake`)
 * checkpoints served from it; and stopping all of it in order.
 * `npm start` and `lakesync serve` both run this.
 */
import type { LakeSyncError, Result } from "@lakesync/core";
import { Err, Ok } from "@lakesync/core";
import type { ServerConfig } from "./config.js";
import { type ConfiguredTarget, createFlushTarget } from "./flush-target.js";
import { lakeCheckpointOptions } from "./lake-checkpoints.js";
import { type LakeMaintenance, startLakeMaintenance } from "./lake-maintenance.js";
import { type RunningServer, type StartOptions, startServer } from "./server.js";

/** A running gateway: its server, where it flushes, and its lake's maintenance (if on). */
export interface RunningGateway {
  readonly server: RunningServer;
  readonly target: ConfiguredTarget;
  readonly maintenance: LakeMaintenance | undefined;
  /**
   * Stops maintenance, stops accepting connections, flushes every gateway, closes the logs and
   * the target. `Err` when the final flush failed (the deltas stay in the log for the next start).
   */
  close(): Promise<Result<void, LakeSyncError>>;
}

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** Extra server options (gateway options for tests); the target and lake come from the config. */
  readonly server?: Omit<StartOptions, "target" | "lake">;
  /** Where compaction failures are logged (default `console.error`). */
  readonly log?: (line: string) => void;
}

/**
 * Builds the flush target the configuration names, starts the server on it and, for an Iceberg
 * lake with compaction on, its maintenance. `Err`: `INVALID_CONFIG` (the target cannot be
 * built), `LISTEN_FAILED` (the port is taken), the catalogue's errors; nothing is left open.
 */
export async function startGateway(
  config: ServerConfig,
  options: StartGatewayOptions = {},
): Promise<Result<RunningGateway, LakeSyncError>> {
  const configured = await createFlushTarget(config);
  if (!configured.ok) return configured;
  const target = configured.value;
  const started = await startServer(config, {
    ...options.server,
    ...(target.lake
      ? {
          gatewayOptions: {
            ...lakeCheckpointOptions(config, target.lake, options.log),
            ...options.server?.gatewayOptions,
          },
        }
      : {}),
    target: target.target,
    ...(target.lake ? { lake: target.lake } : {}),
  });
  if (!started.ok) {
    await target.close();
    return Err(started.error);
  }
  const server = started.value;
  const maintenance = target.lake
    ? startLakeMaintenance(config, target.lake, options.log)
    : undefined;
  return Ok({
    server,
    target,
    maintenance,
    async close() {
      await maintenance?.stop();
      const closed = await server.close();
      await target.close();
      return closed;
    },
  });
}
