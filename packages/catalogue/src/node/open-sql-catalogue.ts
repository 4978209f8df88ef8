/**
 * @module node/open-sql-catalogue
 * One call from settings to a ready SQL catalogue: a warehouse URI and the adapter storing its
 * files, plus either a SQLite path or a PostgreSQL connection.
 */
import type { LakeAdapter } from "@lakesync/adapter";
import { Err, type Result } from "@lakesync/core";
import { SqlCatalogue } from "../catalogue/sql-catalogue.js";
import type { SqlDriver } from "../catalogue/sql-driver.js";
import { CatalogueError } from "../errors.js";
import { createLakeLocation } from "../lake/lake-location.js";
import { openPostgresDriver, type PostgresDriverOptions } from "./postgres-driver.js";
import { openSqliteDriver } from "./sqlite-driver.js";

/** Settings of {@link openSqlCatalogue}. */
export interface OpenSqlCatalogueOptions {
  /** The warehouse URI, e.g. `file:///srv/lake` or `s3://bucket/lake`. */
  readonly warehouse: string;
  /** Stores the warehouse's files (keys relative to the warehouse). */
  readonly adapter: LakeAdapter;
  /** A SQLite file path or `:memory:`; or `postgres` settings instead. */
  readonly sqlite?: string;
  readonly postgres?: PostgresDriverOptions;
  /** `catalog_name` of the rows; default `lakesync`. */
  readonly name?: string;
  readonly now?: () => number;
}

/**
 * Opens a {@link SqlCatalogue} on SQLite (`sqlite`) or PostgreSQL (`postgres`), creating its
 * tables if needed. `Err(CatalogueError)`: `INVALID_INPUT` for a bad warehouse URI or neither
 * database given; `CATALOGUE_UNAVAILABLE` when the database cannot be opened.
 */
export async function openSqlCatalogue(
  options: OpenSqlCatalogueOptions,
): Promise<Result<SqlCatalogue, CatalogueError>> {
  const location = createLakeLocation(options.warehouse, options.adapter);
  if (!location.ok) return location;
  let driver: SqlDriver;
  if (options.sqlite !== undefined) {
    const opened = openSqliteDriver({ path: options.sqlite });
    if (!opened.ok) return opened;
    driver = opened.value;
  } else if (options.postgres !== undefined) {
    driver = openPostgresDriver(options.postgres);
  } else {
    return Err(new CatalogueError("INVALID_INPUT", "give either sqlite or postgres settings"));
  }
  const catalogue = await SqlCatalogue.open({
    driver,
    location: location.value,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  if (!catalogue.ok) await driver.close();
  return catalogue;
}
