import { MemoryAdapter } from "@lakesync/adapter";
import { unwrapOrThrow } from "@lakesync/core";
import { afterAll, describe, expect, it } from "vitest";
import { freshSchema, PG_URL, postgresAvailable } from "../../__tests__/support/databases.js";
import { createLakeLocation } from "../../lake/lake-location.js";
import { openPostgresDriver } from "../../node/postgres-driver.js";
import { openSqliteDriver } from "../../node/sqlite-driver.js";
import { SqlCatalogue } from "../sql-catalogue.js";
import type { SqlColumn, SqlDriver } from "../sql-driver.js";

/**
 * The tables as the reference implementations define them, transcribed from
 * apache/iceberg core/src/main/java/org/apache/iceberg/jdbc/JdbcUtil.java
 * (V0_CREATE_CATALOG_SQL plus V1_UPDATE_CATALOG_SQL's `iceberg_type VARCHAR(5)`,
 * CREATE_NAMESPACE_PROPERTIES_TABLE_SQL) and apache/iceberg-python pyiceberg/catalog/sql.py
 * (IcebergTables, IcebergNamespaceProperties; the same names, types, lengths and keys, without
 * `iceberg_type`). JdbcUtil leaves `property_value` nullable; PyIceberg declares it NOT NULL;
 * LakeSync follows JdbcUtil and always writes a value.
 */
const ICEBERG_TABLES: SqlColumn[] = [
  { name: "catalog_name", type: "varchar(255)", nullable: false, primaryKey: 1 },
  { name: "table_namespace", type: "varchar(255)", nullable: false, primaryKey: 2 },
  { name: "table_name", type: "varchar(255)", nullable: false, primaryKey: 3 },
  { name: "metadata_location", type: "varchar(1000)", nullable: true, primaryKey: 0 },
  { name: "previous_metadata_location", type: "varchar(1000)", nullable: true, primaryKey: 0 },
  { name: "iceberg_type", type: "varchar(5)", nullable: true, primaryKey: 0 },
];
const NAMESPACE_PROPERTIES: SqlColumn[] = [
  { name: "catalog_name", type: "varchar(255)", nullable: false, primaryKey: 1 },
  { name: "namespace", type: "varchar(255)", nullable: false, primaryKey: 2 },
  { name: "property_key", type: "varchar(255)", nullable: false, primaryKey: 3 },
  { name: "property_value", type: "varchar(1000)", nullable: true, primaryKey: 0 },
];

async function checkTables(driver: SqlDriver) {
  const location = unwrapOrThrow(createLakeLocation("memory://wh", new MemoryAdapter()));
  const catalogue = unwrapOrThrow(await SqlCatalogue.open({ driver, location }));
  expect(unwrapOrThrow(await driver.describe("iceberg_tables"))).toEqual(ICEBERG_TABLES);
  expect(unwrapOrThrow(await driver.describe("iceberg_namespace_properties"))).toEqual(
    NAMESPACE_PROPERTIES,
  );
  await catalogue.close();
}

describe("the SQL catalogue's tables match JdbcCatalog's and PyIceberg's", () => {
  it("on SQLite: columns, types, lengths, nullability and primary keys", async () => {
    await checkTables(unwrapOrThrow(openSqliteDriver({ path: ":memory:" })));
  });

  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => drop?.());

  it("on PostgreSQL: columns, types, lengths, nullability and primary keys", async (t) => {
    if (!(await postgresAvailable())) return t.skip();
    const schema = await freshSchema();
    drop = schema.drop;
    await checkTables(openPostgresDriver({ connectionString: PG_URL, schema: schema.name }));
  });
});
