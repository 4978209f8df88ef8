/**
 * @module lake/open-lake
 * Opening a lake to read (Node): a catalogue (given, SQL on SQLite or PostgreSQL, or REST) and
 * the location of its files (given, or an adapter with its warehouse URI), or simply the data
 * directory of a Node gateway (`.lakesync-data`: the lake under `lake/`, the SQLite catalogue
 * `catalogue.sqlite`), which is what `npm start` writes.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { FileSystemAdapter, type LakeAdapter } from "@lakesync/adapter/node";
import {
  type Catalogue,
  createLakeLocation,
  type LakeLocation,
  RestCatalogue,
  type RestCatalogueOptions,
} from "@lakesync/catalogue";
import { openSqlCatalogue, type PostgresDriverOptions } from "@lakesync/catalogue/node";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { AnalystError } from "../errors.js";

/** Where the lake is; give `dataDir`, or a catalogue (or its settings) with the files' location. */
export interface OpenLakeOptions {
  /** A Node gateway's data directory (`.lakesync-data`). */
  readonly dataDir?: string;
  readonly catalogue?: Catalogue;
  readonly location?: LakeLocation;
  /** The files' adapter and warehouse URI, when `location` is not given. */
  readonly adapter?: LakeAdapter;
  readonly warehouse?: string;
  /** A SQL catalogue on SQLite (a file path) or PostgreSQL. */
  readonly sqlite?: string;
  readonly postgres?: PostgresDriverOptions;
  /** A REST catalogue (Nessie, Polaris, R2 Data Catalog, a Node gateway's `/iceberg`). */
  readonly rest?: RestCatalogueOptions;
}

/** An opened lake. */
export interface OpenedLake {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  /** Closes the catalogue if this call opened it. */
  close(): Promise<void>;
}

/**
 * Opens the lake `options` describe. `Err`: `INVALID_INPUT` when the options name no lake (or a
 * data directory without a catalogue: nothing was flushed yet), the catalogue's errors.
 */
export async function openLake(
  options: OpenLakeOptions,
): Promise<Result<OpenedLake, LakeSyncError>> {
  let adapter = options.adapter ?? options.location?.adapter;
  let warehouse = options.warehouse ?? options.location?.warehouse;
  let sqlite = options.sqlite;
  if (options.dataDir !== undefined) {
    const dir = resolve(options.dataDir);
    const file = join(dir, "catalogue.sqlite");
    if (!existsSync(file))
      return Err(
        new AnalystError(
          "INVALID_INPUT",
          `no lake in ${dir}: ${file} does not exist (start the gateway with \`npm start\` and let it flush first)`,
        ),
      );
    const lakeDir = join(dir, "lake");
    adapter ??= new FileSystemAdapter({ root: lakeDir });
    warehouse ??= pathToFileURL(lakeDir).href;
    sqlite ??= file;
  }
  if (!adapter || warehouse === undefined)
    return Err(
      new AnalystError(
        "INVALID_INPUT",
        "give a data directory, a location, or an adapter and its warehouse",
      ),
    );
  const location = options.location ?? createLakeLocation(warehouse, adapter);
  if ("ok" in location && !location.ok) return location;
  const lakeLocation = "ok" in location ? location.value : location;
  if (options.catalogue)
    return Ok({ catalogue: options.catalogue, location: lakeLocation, close: async () => {} });
  if (options.rest) {
    const catalogue = new RestCatalogue(options.rest);
    return Ok({ catalogue, location: lakeLocation, close: () => catalogue.close() });
  }
  if (sqlite === undefined && options.postgres === undefined)
    return Err(
      new AnalystError("INVALID_INPUT", "give a catalogue: sqlite, postgres, rest or a Catalogue"),
    );
  const opened = await openSqlCatalogue({
    warehouse,
    adapter,
    ...(sqlite !== undefined ? { sqlite } : {}),
    ...(options.postgres !== undefined ? { postgres: options.postgres } : {}),
  });
  if (!opened.ok) return opened;
  const catalogue = opened.value;
  return Ok({ catalogue, location: lakeLocation, close: () => catalogue.close() });
}
