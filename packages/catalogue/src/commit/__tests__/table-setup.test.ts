import { unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSchema, PG_URL, postgresAvailable } from "../../__tests__/support/databases.js";
import { memoryLocation, todoSchema } from "../../__tests__/support/fixtures.js";
import type { TableIdentifier } from "../../catalogue/catalogue.js";
import { SqlCatalogue } from "../../catalogue/sql-catalogue.js";
import type { SqlDriver } from "../../catalogue/sql-driver.js";
import { openPostgresDriver } from "../../node/postgres-driver.js";
import { openSqliteDriver } from "../../node/sqlite-driver.js";
import { addColumns, createTableIfMissing } from "../table-setup.js";

const noWait = { backoffMs: () => 0 };

function describeSetup(
  name: string,
  driver: () => Promise<{ driver: SqlDriver; drop?: () => Promise<void> } | undefined>,
) {
  describe(`table set-up on the SQL catalogue (${name})`, () => {
    let catalogue: SqlCatalogue | undefined;
    let drop: (() => Promise<void>) | undefined;
    let table: TableIdentifier;
    let counter = 0;

    beforeAll(async () => {
      const opened = await driver();
      if (!opened) return;
      drop = opened.drop;
      catalogue = unwrapOrThrow(
        await SqlCatalogue.open({ driver: opened.driver, location: memoryLocation() }),
      );
    });
    afterAll(async () => {
      await catalogue?.close();
      await drop?.();
    });

    const freshTable = async (c: SqlCatalogue) => {
      table = { namespace: ["lake"], name: `t${++counter}` };
      unwrapOrThrow(await createTableIfMissing(c, table, { schema: todoSchema }));
    };

    it("createTableIfMissing lets racing creators share one table", async (t) => {
      if (!catalogue) return t.skip();
      const c = catalogue;
      const racing = { namespace: ["race_ns"], name: "shared" };
      const [a, b] = await Promise.all([
        createTableIfMissing(c, racing, { schema: todoSchema }),
        createTableIfMissing(c, racing, { schema: todoSchema }),
      ]);
      expect(unwrapOrThrow(a).metadata["table-uuid"]).toBe(unwrapOrThrow(b).metadata["table-uuid"]);
    });

    it("addColumns grows the schema with fresh ids, even when two writers add columns at once", async (t) => {
      if (!catalogue) return t.skip();
      const c = catalogue;
      await freshTable(c);
      const [a, b] = await Promise.all([
        addColumns(c, table, [{ name: "due", type: "date" }], noWait),
        addColumns(
          c,
          table,
          [
            {
              name: "tags",
              type: { type: "list", "element-id": 0, element: "string", "element-required": false },
            },
          ],
          noWait,
        ),
      ]);
      unwrapOrThrow(a);
      unwrapOrThrow(b);
      const { metadata } = unwrapOrThrow(await c.loadTable(table));
      const schema = metadata.schemas.find((s) => s["schema-id"] === metadata["current-schema-id"]);
      // Whichever writer wins adds its column first.
      expect(schema?.fields.map((f) => f.name).sort()).toEqual([
        "done",
        "due",
        "priority",
        "row_id",
        "score",
        "tags",
        "title",
      ]);
      const ids = schema?.fields.map((f) => f.id) ?? [];
      expect(new Set(ids).size).toBe(ids.length);
      expect(metadata["last-column-id"]).toBe(8);
      expect(await addColumns(c, table, [{ name: "due", type: "date" }])).toMatchObject({
        ok: true,
      });
      expect(await addColumns(c, table, [{ name: "due", type: "string" }])).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
    });
  });
}

describeSetup("SQLite", async () => ({
  driver: unwrapOrThrow(openSqliteDriver({ path: ":memory:" })),
}));
describeSetup("PostgreSQL", async () => {
  if (!(await postgresAvailable())) return undefined;
  const schema = await freshSchema();
  return {
    driver: openPostgresDriver({ connectionString: PG_URL, schema: schema.name }),
    drop: schema.drop,
  };
});
