/**
 * @module @lakesync/catalogue/node
 * The Node-only parts of `@lakesync/catalogue`: the SQL catalogue's drivers for SQLite
 * (`node:sqlite`) and PostgreSQL (`pg`) and {@link openSqlCatalogue}; plus everything the main
 * entry exports.
 *
 * @example
 * import { openSqlCatalogue } from "@lakesync/catalogue/node";
 * import { FileSystemAdapter } from "@lakesync/adapter/node";
 * const catalogue = await openSqlCatalogue({
 *   warehouse: "file:///srv/lake", adapter: new FileSystemAdapter({ root: "/srv/lake" }),
 *   sqlite: "/srv/catalogue.db",
 * });
 */
export * from "./index.js";
export { type OpenSqlCatalogueOptions, openSqlCatalogue } from "./node/open-sql-catalogue.js";
export { openPostgresDriver, type PostgresDriverOptions } from "./node/postgres-driver.js";
export { openSqliteDriver, type SqliteDriverOptions } from "./node/sqlite-driver.js";
