/**
 * @module @lakesync/server
 * The LakeSync gateway self-hosted on Node: the configuration (defaults, a JSON file, environment
 * variables), the HTTP server (the routes every host shares, WebSockets, the Iceberg REST
 * catalogue under `/iceberg`, the lake's files under `/lake`, static files), the gateways it
 * serves each over its own durable SQLite store, the flush targets (Iceberg tables on local disk or
 * S3, delta files, PostgreSQL, MySQL), compaction and maintenance of the lake, and development
 * mode (tokens on request, the todo app's gateway). `npm start` and `lakesync serve` run it.
 *
 * @example
 * import { loadConfig, startGateway } from "@lakesync/server";
 * const config = loadConfig(process.env);
 * if (!config.ok) throw config.error;
 * const gateway = await startGateway(config.value);
 * if (gateway.ok) console.log(`listening on ${gateway.value.server.url}`);
 */
export {
  type CatalogueConfig,
  DEV_JWT_SECRET,
  type LakeConfig,
  loadConfig,
  type ServerConfig,
} from "./config.js";
export {
  type DevTokenOptions,
  devToken,
  prepareTodoGateway,
  TODO_GATEWAY,
  TODO_RULES,
  TODO_SCHEMA,
} from "./dev-mode.js";
export {
  type ConfiguredTarget,
  createFlushTarget,
  openServerLake,
  type ServerLake,
} from "./flush-target.js";
export { GatewayRegistry, type RegistryOptions } from "./gateway-registry.js";
export { lakeFiles, parseRange } from "./lake-files.js";
export {
  DEFAULT_LAKE_COMPACTION,
  type LakeCompactionConfig,
  type LakeMaintenance,
  type LakeMaintenanceSettings,
  lakeCompactionConfig,
  lakeMaintenanceOptions,
  startLakeMaintenance,
} from "./lake-maintenance.js";
export { type RunningServer, type StartOptions, startServer } from "./server.js";
export {
  type RunningGateway,
  type StartGatewayOptions,
  startGateway,
} from "./start-gateway.js";
export { WalGatewayStore, type WalStoreOptions } from "./wal-store.js";
