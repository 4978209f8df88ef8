/**
 * @module @lakesync/gateway/node
 * The Node-only part of the gateway: {@link openNodeSqlite}, a `SqlDriver` over `node:sqlite`
 * for the SQL store; plus everything the main entry exports.
 *
 * @example
 * import { openNodeSqlite, SqlGatewayStore, SyncGateway } from "@lakesync/gateway/node";
 * const sql = unwrapOrThrow(openNodeSqlite("data/todos.sqlite"));
 * const gateway = await SyncGateway.open({ gatewayId: "todos", store: new SqlGatewayStore(sql) });
 */
export * from "./index.js";
export {
  type NodeSqliteOptions,
  openNodeSqlite,
  type SqliteDurability,
} from "./node/node-sqlite-driver.js";
