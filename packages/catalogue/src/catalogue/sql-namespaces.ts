/**
 * @module catalogue/sql-namespaces
 * Namespaces in the SQL catalogue's tables, as JdbcCatalog and PyIceberg keep them: a namespace
 * exists while `iceberg_namespace_properties` has a row for it (created with the `exists`
 * property) or a table lives in it or below it; levels are joined by `.`.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import type { Namespace } from "./catalogue.js";
import { likeEscape, namespaceKey, namespaceLevels } from "./identifiers.js";
import { NAMESPACE_EXISTS_PROPERTY } from "./sql-catalogue-schema.js";
import type { SqlDriver } from "./sql-driver.js";

/** The namespace rows of one `catalog_name`. */
export class SqlNamespaces {
  constructor(
    readonly driver: SqlDriver,
    readonly catalog: string,
  ) {}

  /** Whether the namespace stored as `key` exists (itself or through a child). */
  async exists(key: string): Promise<Result<boolean, CatalogueError>> {
    const params = [this.catalog, key, `${likeEscape(key)}.%`];
    for (const [table, column] of [
      ["iceberg_namespace_properties", "namespace"],
      ["iceberg_tables", "table_namespace"],
    ] as const) {
      const found = await this.driver.execute(
        `SELECT 1 AS found FROM ${table} WHERE catalog_name = ? AND (${column} = ? OR ${column} LIKE ? ESCAPE '!') LIMIT 1`,
        params,
      );
      if (!found.ok) return found;
      if (found.value.rows.length > 0) return Ok(true);
    }
    return Ok(false);
  }

  /** The stored key of an existing namespace; `NO_SUCH_NAMESPACE` or `INVALID_INPUT` otherwise. */
  async existing(namespace: Namespace): Promise<Result<string, CatalogueError>> {
    const key = namespaceKey(namespace);
    if (!key.ok) return key;
    const exists = await this.exists(key.value);
    if (!exists.ok) return exists;
    if (!exists.value)
      return Err(new CatalogueError("NO_SUCH_NAMESPACE", `namespace ${key.value} does not exist`));
    return key;
  }

  /** The direct children of `parent` (top-level namespaces for `[]`), sorted. */
  async children(parent: Namespace): Promise<Result<Namespace[], CatalogueError>> {
    const all = await this.driver.execute(
      "SELECT table_namespace AS ns FROM iceberg_tables WHERE catalog_name = ? UNION SELECT namespace AS ns FROM iceberg_namespace_properties WHERE catalog_name = ?",
      [this.catalog, this.catalog],
    );
    if (!all.ok) return all;
    const children = new Map<string, Namespace>();
    for (const row of all.value.rows) {
      const levels = namespaceLevels(String(row.ns));
      if (levels.length <= parent.length || parent.some((p, i) => levels[i] !== p)) continue;
      const child = levels.slice(0, parent.length + 1);
      children.set(child.join("."), child);
    }
    return Ok([...children.keys()].sort().map((k) => children.get(k) as Namespace));
  }

  /** Inserts the namespace's rows (its properties plus `exists`) in one statement. */
  async create(
    key: string,
    properties: Readonly<Record<string, string>>,
  ): Promise<Result<void, CatalogueError>> {
    const entries = Object.entries({ ...properties, [NAMESPACE_EXISTS_PROPERTY]: "true" });
    for (const [k, v] of entries)
      if (typeof v !== "string")
        return Err(
          new CatalogueError("INVALID_INPUT", `namespace property "${k}" must be a string`),
        );
    const inserted = await this.driver.execute(
      `INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES ${entries.map(() => "(?, ?, ?, ?)").join(", ")}`,
      entries.flatMap(([k, v]) => [this.catalog, key, k, v]),
    );
    if (!inserted.ok)
      return inserted.error.code === "ALREADY_EXISTS"
        ? Err(new CatalogueError("ALREADY_EXISTS", `namespace ${key} already exists`))
        : inserted;
    return Ok(undefined);
  }

  /** The stored properties of the namespace `key`. */
  async properties(key: string): Promise<Result<Record<string, string>, CatalogueError>> {
    const rows = await this.driver.execute(
      "SELECT property_key, property_value FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ?",
      [this.catalog, key],
    );
    if (!rows.ok) return rows;
    const properties: Record<string, string> = {};
    for (const row of rows.value.rows)
      Object.defineProperty(properties, String(row.property_key), {
        value: row.property_value === null ? "" : String(row.property_value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return Ok(properties);
  }

  /** Deletes the namespace's property rows. */
  async delete(key: string): Promise<Result<void, CatalogueError>> {
    const deleted = await this.driver.execute(
      "DELETE FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ?",
      [this.catalog, key],
    );
    return deleted.ok ? Ok(undefined) : deleted;
  }
}
