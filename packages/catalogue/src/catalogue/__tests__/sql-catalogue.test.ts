import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryAdapter } from "@lakesync/adapter";
import { unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCatalogue } from "../../__tests__/support/catalogue-conformance.js";
import { freshSchema, PG_URL, postgresAvailable } from "../../__tests__/support/databases.js";
import { todoSchema } from "../../__tests__/support/fixtures.js";
import { createLakeLocation } from "../../lake/lake-location.js";
import { openPostgresDriver } from "../../node/postgres-driver.js";
import { openSqliteDriver } from "../../node/sqlite-driver.js";
import { SqlCatalogue } from "../sql-catalogue.js";
import type { SqlDriver } from "../sql-driver.js";

describeCatalogue("SQL (SQLite)", async (location) => {
  const catalogue = unwrapOrThrow(
    await SqlCatalogue.open({
      driver: unwrapOrThrow(openSqliteDriver({ path: ":memory:" })),
      location,
    }),
  );
  return { catalogue, close: () => catalogue.close() };
});

let pgReady: Promise<boolean> | undefined;
const pgAbsent = async () => {
  pgReady = pgReady ?? postgresAvailable();
  return !(await pgReady);
};

describeCatalogue(
  "SQL (PostgreSQL)",
  async (location) => {
    const schema = await freshSchema();
    const catalogue = unwrapOrThrow(
      await SqlCatalogue.open({
        driver: openPostgresDriver({ connectionString: PG_URL, schema: schema.name }),
        location,
      }),
    );
    return {
      catalogue,
      close: async () => {
        await catalogue.close();
        await schema.drop();
      },
    };
  },
  pgAbsent,
);

describe("SQL catalogue on a SQLite file", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lakesync-sql-catalogue-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("two catalogues on one database file see each other's tables and conflict on one base", async () => {
    const location = unwrapOrThrow(createLakeLocation("memory://wh", new MemoryAdapter()));
    const path = join(dir, "catalogue.db");
    const open = async () =>
      unwrapOrThrow(
        await SqlCatalogue.open({ driver: unwrapOrThrow(openSqliteDriver({ path })), location }),
      );
    const a = await open();
    const b = await open();
    unwrapOrThrow(await a.createNamespace(["shared"]));
    unwrapOrThrow(await a.createTable(["shared"], { name: "t", schema: todoSchema }));
    const table = { namespace: ["shared"], name: "t" };
    const seen = unwrapOrThrow(await b.loadTable(table));
    unwrapOrThrow(
      await a.commitTable(table, [], [{ action: "set-properties", updates: { by: "a" } }]),
    );
    const stale = await b.commitTable(
      table,
      [
        {
          type: "assert-last-assigned-field-id",
          "last-assigned-field-id": seen.metadata["last-column-id"],
        },
      ],
      [{ action: "set-properties", updates: { by: "b" } }],
    );
    // The requirement still holds (no schema change), so b applies on top of a's commit.
    expect(unwrapOrThrow(stale).metadata.properties).toEqual({ by: "b" });
    await a.close();
    await b.close();
  });

  it("records the previous metadata location in iceberg_tables", async () => {
    const driver = unwrapOrThrow(openSqliteDriver({ path: ":memory:" }));
    const location = unwrapOrThrow(createLakeLocation("memory://wh", new MemoryAdapter()));
    const catalogue = unwrapOrThrow(await SqlCatalogue.open({ driver, location, name: "prod" }));
    unwrapOrThrow(await catalogue.createNamespace(["n"]));
    const first = unwrapOrThrow(
      await catalogue.createTable(["n"], { name: "t", schema: todoSchema }),
    );
    const second = unwrapOrThrow(
      await catalogue.commitTable(
        { namespace: ["n"], name: "t" },
        [],
        [{ action: "set-properties", updates: { a: "b" } }],
      ),
    );
    const rows = unwrapOrThrow(await driver.execute("SELECT * FROM iceberg_tables")).rows;
    expect(rows.map((r) => ({ ...r }))).toEqual([
      {
        catalog_name: "prod",
        table_namespace: "n",
        table_name: "t",
        metadata_location: second.metadataLocation,
        previous_metadata_location: first.metadataLocation,
        iceberg_type: "TABLE",
      },
    ]);
    const props = unwrapOrThrow(
      await driver.execute("SELECT * FROM iceberg_namespace_properties"),
    ).rows;
    expect(props.map((r) => ({ ...r }))).toEqual([
      { catalog_name: "prod", namespace: "n", property_key: "exists", property_value: "true" },
    ]);
    await catalogue.close();
  });

  it("works on tables PyIceberg created (no iceberg_type column)", async () => {
    const driver = unwrapOrThrow(openSqliteDriver({ path: ":memory:" }));
    unwrapOrThrow(
      await driver.execute(
        "CREATE TABLE iceberg_tables (catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), PRIMARY KEY (catalog_name, table_namespace, table_name))",
      ),
    );
    const location = unwrapOrThrow(createLakeLocation("memory://wh", new MemoryAdapter()));
    const catalogue = unwrapOrThrow(await SqlCatalogue.open({ driver, location }));
    unwrapOrThrow(await catalogue.createNamespace(["py"]));
    unwrapOrThrow(await catalogue.createTable(["py"], { name: "t", schema: todoSchema }));
    expect(unwrapOrThrow(await catalogue.listTables(["py"]))).toEqual([
      { namespace: ["py"], name: "t" },
    ]);
    await catalogue.close();
  });

  it("a database error is CATALOGUE_UNAVAILABLE and an unreachable server fails to open", async () => {
    const closed = unwrapOrThrow(openSqliteDriver({ path: ":memory:" }));
    await closed.close();
    const location = unwrapOrThrow(createLakeLocation("memory://wh", new MemoryAdapter()));
    expect(await SqlCatalogue.open({ driver: closed, location })).toMatchObject({
      ok: false,
      error: { code: "CATALOGUE_UNAVAILABLE" },
    });
    const nowhere: SqlDriver = openPostgresDriver({
      connectionString: "postgres://postgres@127.0.0.1:1/none",
      pool: { connectionTimeoutMillis: 500 },
    });
    expect(await SqlCatalogue.open({ driver: nowhere, location })).toMatchObject({
      ok: false,
      error: { code: "CATALOGUE_UNAVAILABLE" },
    });
    await nowhere.close();
  });
});
