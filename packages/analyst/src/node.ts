/**
 * @module @lakesync/analyst/node
 * The Node-only parts of `@lakesync/analyst`: {@link DuckDBClient} (SQL over the lake through
 * `@duckdb/node-api`, files read in place or cached from S3/R2 through our adapters) and
 * {@link openLake}; plus everything the main entry exports.
 *
 * @example
 * import { DuckDBClient, openLake } from "@lakesync/analyst/node";
 * const lake = unwrapOrThrow(await openLake({ dataDir: ".lakesync-data" }));
 * const client = unwrapOrThrow(await DuckDBClient.open({ ...lake, namespace: ["todos"] }));
 * const result = await client.query("SELECT title, completed FROM todos");
 */

export {
  DuckDBClient,
  type DuckDBClientOptions,
  type RegisteredTable,
} from "./duckdb/duckdb-client.js";
export { DEFAULT_CACHE_DIR, type FileResolver, fileResolver } from "./duckdb/file-resolver.js";
export * from "./index.js";
export { type OpenedLake, type OpenLakeOptions, openLake } from "./lake/open-lake.js";
