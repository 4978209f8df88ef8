/**
 * @module catalogue/sql-catalogue
 * An Iceberg catalogue in a SQL database, on the tables of Iceberg's JdbcCatalog and PyIceberg's
 * SqlCatalog (see `sql-catalogue-schema`). Metadata files are written through a
 * {@link LakeLocation}; a commit writes the next metadata file, then swaps it in with a
 * compare-and-swap `UPDATE … WHERE metadata_location = <the one it read>`, so of two writers
 * starting from the same metadata exactly one wins and the other gets `COMMIT_CONFLICT`.
 *
 * @example
 * const catalogue = unwrapOrThrow(await SqlCatalogue.open({ driver, location }));
 * await catalogue.createNamespace(["lake"]);
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { applyUpdates, checkRequirements, createTableMetadata } from "../iceberg/metadata.js";
import {
  metadataFileLocation,
  nextMetadataLocation,
  withMetadataLog,
} from "../iceberg/metadata-files.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { readMetadataFile, writeMetadataFile } from "../lake/metadata-io.js";
import type {
  Catalogue,
  CreateTableRequest,
  LoadedTable,
  Namespace,
  TableIdentifier,
} from "./catalogue.js";
import { namespaceKey, tableKey } from "./identifiers.js";
import { CREATE_NAMESPACE_PROPERTIES_TABLE, CREATE_TABLES_TABLE } from "./sql-catalogue-schema.js";
import type { SqlDriver } from "./sql-driver.js";
import { SqlNamespaces } from "./sql-namespaces.js";
import { SqlTableRows, type TableKey } from "./sql-table-rows.js";
import type { TableRequirement, TableUpdate } from "./updates.js";

/** Options of {@link SqlCatalogue.open}. */
export interface SqlCatalogueOptions {
  readonly driver: SqlDriver;
  /** The warehouse and the adapter its files are stored through. */
  readonly location: LakeLocation;
  /** The `catalog_name` of every row (several catalogues can share the tables); default `lakesync`. */
  readonly name?: string;
  /** The clock for metadata timestamps (epoch ms); default `Date.now`. */
  readonly now?: () => number;
}

const named = (key: TableKey) => `${key.namespace}.${key.name}`;

/** An Iceberg catalogue in SQLite or PostgreSQL; see the module comment. */
export class SqlCatalogue implements Catalogue {
  readonly name: string;
  readonly #driver: SqlDriver;
  readonly #location: LakeLocation;
  readonly #now: () => number;
  readonly #namespaces: SqlNamespaces;
  readonly #tables: SqlTableRows;

  private constructor(options: SqlCatalogueOptions, typed: boolean) {
    const catalog = options.name ?? "lakesync";
    this.#driver = options.driver;
    this.#location = options.location;
    this.#now = options.now ?? Date.now;
    this.#namespaces = new SqlNamespaces(options.driver, catalog);
    this.#tables = new SqlTableRows(options.driver, catalog, typed);
    this.name = `sql:${options.driver.dialect}`;
  }

  /**
   * Opens the catalogue, creating its two tables if they do not exist. Tables created by an
   * older JdbcCatalog or by PyIceberg (without `iceberg_type`) are used as they are.
   * `Err(CatalogueError)` (`CATALOGUE_UNAVAILABLE`) when the database cannot be reached.
   */
  static async open(options: SqlCatalogueOptions): Promise<Result<SqlCatalogue, CatalogueError>> {
    for (const ddl of [CREATE_TABLES_TABLE, CREATE_NAMESPACE_PROPERTIES_TABLE]) {
      const created = await options.driver.execute(ddl);
      // Two processes creating the tables at once: the loser sees a duplicate, which is fine.
      if (!created.ok && created.error.code !== "ALREADY_EXISTS") return created;
    }
    const columns = await options.driver.describe("iceberg_tables");
    if (!columns.ok) return columns;
    const typed = columns.value.some((c) => c.name === "iceberg_type");
    return Ok(new SqlCatalogue(options, typed));
  }

  async listNamespaces(parent: Namespace = []): Promise<Result<Namespace[], LakeSyncError>> {
    if (parent.length > 0) {
      const exists = await this.#namespaces.existing(parent);
      if (!exists.ok) return exists;
    }
    return this.#namespaces.children(parent);
  }

  async createNamespace(
    namespace: Namespace,
    properties: Readonly<Record<string, string>> = {},
  ): Promise<Result<void, LakeSyncError>> {
    const key = namespaceKey(namespace);
    if (!key.ok) return key;
    const exists = await this.#namespaces.exists(key.value);
    if (!exists.ok) return exists;
    if (exists.value)
      return Err(new CatalogueError("ALREADY_EXISTS", `namespace ${key.value} already exists`));
    return this.#namespaces.create(key.value, properties);
  }

  async loadNamespace(
    namespace: Namespace,
  ): Promise<Result<Record<string, string>, LakeSyncError>> {
    const key = await this.#namespaces.existing(namespace);
    if (!key.ok) return key;
    return this.#namespaces.properties(key.value);
  }

  async dropNamespace(namespace: Namespace): Promise<Result<void, LakeSyncError>> {
    const key = await this.#namespaces.existing(namespace);
    if (!key.ok) return key;
    const tables = await this.#tables.names(key.value);
    if (!tables.ok) return tables;
    const children = await this.#namespaces.children(namespace);
    if (!children.ok) return children;
    if (tables.value.length > 0 || children.value.length > 0)
      return Err(
        new CatalogueError(
          "NAMESPACE_NOT_EMPTY",
          `namespace ${key.value} holds ${tables.value.length} tables and ${children.value.length} namespaces`,
        ),
      );
    return this.#namespaces.delete(key.value);
  }

  async listTables(namespace: Namespace): Promise<Result<TableIdentifier[], LakeSyncError>> {
    const key = await this.#namespaces.existing(namespace);
    if (!key.ok) return key;
    const names = await this.#tables.names(key.value);
    if (!names.ok) return names;
    return Ok(names.value.map((name) => ({ namespace: [...namespace], name })));
  }

  async createTable(
    namespace: Namespace,
    request: CreateTableRequest,
  ): Promise<Result<LoadedTable, LakeSyncError>> {
    const key = tableKey({ namespace, name: request?.name });
    if (!key.ok) return key;
    const exists = await this.#namespaces.existing(namespace);
    if (!exists.ok) return exists;
    const metadata = createTableMetadata({
      location: request.location ?? this.#location.tableLocation(namespace, request.name),
      schema: request.schema,
      ...(request.partitionSpec ? { partitionSpec: request.partitionSpec } : {}),
      ...(request.writeOrder ? { sortOrder: request.writeOrder } : {}),
      ...(request.properties ? { properties: request.properties } : {}),
      now: this.#now(),
    });
    if (!metadata.ok) return metadata;
    const current = await this.#tables.metadataLocation(key.value);
    if (!current.ok) return current;
    if (current.value !== undefined)
      return Err(new CatalogueError("ALREADY_EXISTS", `table ${named(key.value)} already exists`));
    const metadataLocation = metadataFileLocation(metadata.value.location, 0);
    const written = await writeMetadataFile(this.#location, metadataLocation, metadata.value);
    if (!written.ok) return written;
    const inserted = await this.#tables.insert(key.value, metadataLocation);
    if (!inserted.ok) {
      await this.#location.delete(metadataLocation);
      return inserted;
    }
    return Ok({ metadataLocation, metadata: metadata.value });
  }

  async loadTable(table: TableIdentifier): Promise<Result<LoadedTable, LakeSyncError>> {
    const key = tableKey(table);
    if (!key.ok) return key;
    const location = await this.#tables.metadataLocation(key.value);
    if (!location.ok) return location;
    if (location.value === undefined)
      return Err(new CatalogueError("NO_SUCH_TABLE", `table ${named(key.value)} does not exist`));
    const metadata = await readMetadataFile(this.#location, location.value);
    if (!metadata.ok) return metadata;
    return Ok({ metadataLocation: location.value, metadata: metadata.value });
  }

  async commitTable(
    table: TableIdentifier,
    requirements: readonly TableRequirement[],
    updates: readonly TableUpdate[],
  ): Promise<Result<LoadedTable, LakeSyncError>> {
    const key = tableKey(table);
    if (!key.ok) return key;
    if (!Array.isArray(requirements) || !Array.isArray(updates))
      return Err(new CatalogueError("INVALID_INPUT", "requirements and updates must be arrays"));
    const base = await this.loadTable(table);
    if (!base.ok) return base;
    const checked = checkRequirements(base.value.metadata, requirements);
    if (!checked.ok) return checked;
    const applied = applyUpdates(base.value.metadata, updates, { now: this.#now() });
    if (!applied.ok) return applied;
    if (updates.length === 0) return base;
    const previous = base.value.metadataLocation;
    const next = withMetadataLog(applied.value, base.value.metadata, previous);
    const location = nextMetadataLocation(next.location, previous);
    const written = await writeMetadataFile(this.#location, location, next);
    if (!written.ok) return written;
    const swapped = await this.#tables.swap(key.value, previous, location);
    if (!swapped.ok)
      return Err(
        new CatalogueError(
          "COMMIT_STATE_UNKNOWN",
          `the commit to ${named(key.value)} may or may not have applied: ${swapped.error.message}`,
          { cause: swapped.error },
        ),
      );
    if (swapped.value === "lost") {
      await this.#location.delete(location);
      return Err(
        new CatalogueError(
          "COMMIT_CONFLICT",
          `table ${named(key.value)} was changed by another commit`,
        ),
      );
    }
    return Ok({ metadataLocation: location, metadata: next });
  }

  /** Removes the table's row; with `purge`, also every file under the table's location. */
  async dropTable(
    table: TableIdentifier,
    options: { purge?: boolean } = {},
  ): Promise<Result<void, LakeSyncError>> {
    const key = tableKey(table);
    if (!key.ok) return key;
    const loaded = options.purge ? await this.loadTable(table) : undefined;
    const deleted = await this.#tables.delete(key.value);
    if (!deleted.ok) return deleted;
    if (!deleted.value)
      return Err(new CatalogueError("NO_SUCH_TABLE", `table ${named(key.value)} does not exist`));
    if (!loaded?.ok) return Ok(undefined);
    return this.#purge(loaded.value.metadata.location);
  }

  async #purge(tableLocation: string): Promise<Result<void, CatalogueError>> {
    const prefix = this.#location.keyOf(tableLocation);
    // A table located outside the warehouse keeps its files: they are not ours to delete.
    if (!prefix.ok) return Ok(undefined);
    const adapter = this.#location.adapter;
    const listed = await adapter.listObjects(`${prefix.value}/`);
    const removed = listed.ok
      ? await adapter.deleteObjects(listed.value.map((o) => o.key))
      : listed;
    if (removed.ok) return Ok(undefined);
    return Err(
      new CatalogueError("CATALOGUE_UNAVAILABLE", "table dropped but its files were not purged", {
        cause: removed.error,
      }),
    );
  }

  async close(): Promise<void> {
    await this.#driver.close();
  }
}
