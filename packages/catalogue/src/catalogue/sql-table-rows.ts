/**
 * @module catalogue/sql-table-rows
 * The rows of `iceberg_tables` for one `catalog_name`: one per table, holding the location of
 * its current metadata file (and the previous one). A commit swaps the location with a
 * compare-and-swap `UPDATE … WHERE metadata_location = <the one read>`.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { TABLE_RECORD_TYPE } from "./sql-catalogue-schema.js";
import type { SqlDriver } from "./sql-driver.js";

/** A table's stored namespace and name. */
export interface TableKey {
  readonly namespace: string;
  readonly name: string;
}

/** What a compare-and-swap did. */
export type SwapOutcome = "swapped" | "lost";

/** The table rows of one catalogue name. */
export class SqlTableRows {
  /** Rows that are tables (JdbcCatalog V1 also stores views); nothing to filter without the column. */
  readonly #onlyTables: string;

  /** `typed`: the table has JdbcCatalog V1's `iceberg_type` column. */
  constructor(
    readonly driver: SqlDriver,
    readonly catalog: string,
    readonly typed: boolean,
  ) {
    this.#onlyTables = typed ? " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)" : "";
  }

  /** The names of the tables in the namespace stored as `namespace`, sorted. */
  async names(namespace: string): Promise<Result<string[], CatalogueError>> {
    const rows = await this.driver.execute(
      `SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ?${this.#onlyTables} ORDER BY table_name`,
      [this.catalog, namespace],
    );
    return rows.ok ? Ok(rows.value.rows.map((r) => String(r.table_name))) : rows;
  }

  /** The table's current metadata location, or `undefined` when there is no such table. */
  async metadataLocation(key: TableKey): Promise<Result<string | undefined, CatalogueError>> {
    const rows = await this.driver.execute(
      `SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?${this.#onlyTables}`,
      [this.catalog, key.namespace, key.name],
    );
    if (!rows.ok) return rows;
    const location = rows.value.rows[0]?.metadata_location;
    return Ok(location === undefined || location === null ? undefined : String(location));
  }

  /** Adds a table row; `ALREADY_EXISTS` when the table exists. */
  async insert(key: TableKey, metadataLocation: string): Promise<Result<void, CatalogueError>> {
    const inserted = await this.driver.execute(
      `INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location${this.typed ? ", iceberg_type" : ""}) VALUES (?, ?, ?, ?, NULL${this.typed ? ", ?" : ""})`,
      [
        this.catalog,
        key.namespace,
        key.name,
        metadataLocation,
        ...(this.typed ? [TABLE_RECORD_TYPE] : []),
      ],
    );
    if (inserted.ok) return Ok(undefined);
    return inserted.error.code === "ALREADY_EXISTS"
      ? Err(
          new CatalogueError("ALREADY_EXISTS", `table ${key.namespace}.${key.name} already exists`),
        )
      : inserted;
  }

  /**
   * Points the table at `next` if it still points at `previous`. `lost` when another commit
   * moved it first; `Err` (the driver's) when the outcome is not known.
   */
  async swap(
    key: TableKey,
    previous: string,
    next: string,
  ): Promise<Result<SwapOutcome, CatalogueError>> {
    const swapped = await this.driver.execute(
      "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ? WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?",
      [next, previous, this.catalog, key.namespace, key.name, previous],
    );
    if (!swapped.ok) return swapped;
    return Ok(swapped.value.changes === 0 ? "lost" : "swapped");
  }

  /** Deletes the table row; `false` when there was none. */
  async delete(key: TableKey): Promise<Result<boolean, CatalogueError>> {
    const deleted = await this.driver.execute(
      `DELETE FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?${this.#onlyTables}`,
      [this.catalog, key.namespace, key.name],
    );
    return deleted.ok ? Ok(deleted.value.changes > 0) : deleted;
  }
}
