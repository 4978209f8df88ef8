/**
 * @module catalogue/sql-catalogue-schema
 * The two tables of the SQL catalogue, column for column those of Iceberg's `JdbcCatalog`
 * (`JdbcUtil`, schema version V1, which added `iceberg_type`) and PyIceberg's `SqlCatalog`, so
 * Spark, Trino, PyIceberg and LakeSync can share one catalogue database.
 */

/** Tables: one row per table, the current and previous metadata file locations. */
export const CREATE_TABLES_TABLE = `CREATE TABLE IF NOT EXISTS iceberg_tables (
  catalog_name VARCHAR(255) NOT NULL,
  table_namespace VARCHAR(255) NOT NULL,
  table_name VARCHAR(255) NOT NULL,
  metadata_location VARCHAR(1000),
  previous_metadata_location VARCHAR(1000),
  iceberg_type VARCHAR(5),
  PRIMARY KEY (catalog_name, table_namespace, table_name)
)`;

/** Namespace properties: a namespace exists while it has a row (JdbcCatalog stores `exists`). */
export const CREATE_NAMESPACE_PROPERTIES_TABLE = `CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
  catalog_name VARCHAR(255) NOT NULL,
  namespace VARCHAR(255) NOT NULL,
  property_key VARCHAR(255) NOT NULL,
  property_value VARCHAR(1000),
  PRIMARY KEY (catalog_name, namespace, property_key)
)`;

/** The `iceberg_type` of a table row (views, which LakeSync does not write, are `VIEW`). */
export const TABLE_RECORD_TYPE = "TABLE";

/** The property every namespace created here carries, as JdbcCatalog writes it. */
export const NAMESPACE_EXISTS_PROPERTY = "exists";
