import { unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../catalogue/catalogue.js";
import type { TableUpdate } from "../../catalogue/updates.js";
import { createLakeLocation, type LakeLocation } from "../../lake/lake-location.js";
import { BarrierAdapter } from "./barrier-adapter.js";
import { bucketSpec, todoSchema } from "./fixtures.js";

/** Opens the catalogue under test over `location` (its warehouse). */
export type OpenCatalogue = (
  location: LakeLocation,
) => Promise<{ catalogue: Catalogue; close: () => Promise<void> }>;

const METADATA_FILE = /metadata\/[^/]+\.metadata\.json$/;

/**
 * The behaviour every `Catalogue` shares: namespaces, tables, commits with requirements and the
 * compare-and-swap between concurrent commits, clear errors for bad input. `skip` reports why a
 * backend is absent (then the suite is skipped).
 */
export function describeCatalogue(
  name: string,
  open: OpenCatalogue,
  skip?: () => Promise<boolean>,
): void {
  describe(`${name} catalogue conformance`, () => {
    let adapter: BarrierAdapter;
    let location: LakeLocation;
    let catalogue: Catalogue;
    let close = async () => {};
    let skipped = false;

    beforeAll(async () => {
      skipped = skip ? await skip() : false;
      if (skipped) return;
      adapter = new BarrierAdapter();
      location = unwrapOrThrow(createLakeLocation("memory://warehouse", adapter));
      ({ catalogue, close } = await open(location));
    });
    afterAll(async () => {
      await close();
    });

    const metadataFiles = async () =>
      unwrapOrThrow(await adapter.listObjects("")).filter((o) => METADATA_FILE.test(o.key)).length;

    it("creates, lists, loads and drops namespaces", async (t) => {
      if (skipped) return t.skip();
      unwrapOrThrow(await catalogue.createNamespace(["ns_a"], { owner: "lakesync" }));
      unwrapOrThrow(await catalogue.createNamespace(["ns_a", "child"]));
      unwrapOrThrow(await catalogue.createNamespace(["ns_b"]));
      const top = unwrapOrThrow(await catalogue.listNamespaces());
      expect(top).toEqual(expect.arrayContaining([["ns_a"], ["ns_b"]]));
      expect(top).not.toContainEqual(["ns_a", "child"]);
      expect(unwrapOrThrow(await catalogue.listNamespaces(["ns_a"]))).toEqual([["ns_a", "child"]]);
      expect(unwrapOrThrow(await catalogue.loadNamespace(["ns_a"]))).toMatchObject({
        owner: "lakesync",
      });
      expect(await catalogue.createNamespace(["ns_a"])).toMatchObject({
        ok: false,
        error: { code: "ALREADY_EXISTS" },
      });
      expect(await catalogue.dropNamespace(["ns_a"])).toMatchObject({
        ok: false,
        error: { code: "NAMESPACE_NOT_EMPTY" },
      });
      unwrapOrThrow(await catalogue.dropNamespace(["ns_a", "child"]));
      unwrapOrThrow(await catalogue.dropNamespace(["ns_a"]));
      expect(await catalogue.loadNamespace(["ns_a"])).toMatchObject({
        ok: false,
        error: { code: "NO_SUCH_NAMESPACE" },
      });
      expect(await catalogue.dropNamespace(["ns_a"])).toMatchObject({
        ok: false,
        error: { code: "NO_SUCH_NAMESPACE" },
      });
      expect(await catalogue.listNamespaces(["nowhere"])).toMatchObject({
        ok: false,
        error: { code: "NO_SUCH_NAMESPACE" },
      });
    });

    it("creates, lists, loads and drops tables", async (t) => {
      if (skipped) return t.skip();
      unwrapOrThrow(await catalogue.createNamespace(["tables"]));
      const created = unwrapOrThrow(
        await catalogue.createTable(["tables"], {
          name: "todos",
          schema: todoSchema,
          partitionSpec: bucketSpec(8),
          properties: { a: "1" },
        }),
      );
      expect(created.metadata.location).toBe("memory://warehouse/tables/todos");
      expect(created.metadataLocation).toMatch(
        /^memory:\/\/warehouse\/tables\/todos\/metadata\/00000-.*\.metadata\.json$/,
      );
      expect(created.metadata.properties).toEqual({ a: "1" });
      unwrapOrThrow(await catalogue.createTable(["tables"], { name: "notes", schema: todoSchema }));
      expect(unwrapOrThrow(await catalogue.listTables(["tables"]))).toEqual([
        { namespace: ["tables"], name: "notes" },
        { namespace: ["tables"], name: "todos" },
      ]);
      const loaded = unwrapOrThrow(
        await catalogue.loadTable({ namespace: ["tables"], name: "todos" }),
      );
      expect(loaded).toEqual(created);
      expect(
        await catalogue.createTable(["tables"], { name: "todos", schema: todoSchema }),
      ).toMatchObject({
        ok: false,
        error: { code: "ALREADY_EXISTS" },
      });
      expect(
        await catalogue.createTable(["missing"], { name: "x", schema: todoSchema }),
      ).toMatchObject({
        ok: false,
        error: { code: "NO_SUCH_NAMESPACE" },
      });
      unwrapOrThrow(
        await catalogue.dropTable({ namespace: ["tables"], name: "notes" }, { purge: true }),
      );
      expect(unwrapOrThrow(await adapter.listObjects("tables/notes/"))).toEqual([]);
      expect(await catalogue.loadTable({ namespace: ["tables"], name: "notes" })).toMatchObject({
        ok: false,
        error: { code: "NO_SUCH_TABLE" },
      });
      expect(await catalogue.dropTable({ namespace: ["tables"], name: "notes" })).toMatchObject({
        ok: false,
        error: { code: "NO_SUCH_TABLE" },
      });
    });

    it("commits updates that meet their requirements and logs the previous metadata file", async (t) => {
      if (skipped) return t.skip();
      unwrapOrThrow(await catalogue.createNamespace(["commits"]));
      const table = { namespace: ["commits"], name: "t" };
      const base = unwrapOrThrow(
        await catalogue.createTable(["commits"], { name: "t", schema: todoSchema }),
      );
      const next = unwrapOrThrow(
        await catalogue.commitTable(
          table,
          [{ type: "assert-table-uuid", uuid: base.metadata["table-uuid"] }],
          [{ action: "set-properties", updates: { owner: "me" } }],
        ),
      );
      expect(next.metadataLocation).toMatch(/\/metadata\/00001-.*\.metadata\.json$/);
      expect(next.metadata.properties).toEqual({ owner: "me" });
      expect(next.metadata["metadata-log"]).toEqual([
        {
          "timestamp-ms": base.metadata["last-updated-ms"],
          "metadata-file": base.metadataLocation,
        },
      ]);
      expect(unwrapOrThrow(await catalogue.loadTable(table))).toEqual(next);
    });

    it("of two commits from the same base, one wins and the other gets COMMIT_CONFLICT", async (t) => {
      if (skipped) return t.skip();
      unwrapOrThrow(await catalogue.createNamespace(["race"]));
      const table = { namespace: ["race"], name: "t" };
      unwrapOrThrow(await catalogue.createTable(["race"], { name: "t", schema: todoSchema }));
      // Both commits read the same metadata before either writes its next file.
      adapter.arm(2, /^race\/t\/metadata\/.*\.metadata\.json$/);
      const results = await Promise.all([
        catalogue.commitTable(table, [], [{ action: "set-properties", updates: { winner: "a" } }]),
        catalogue.commitTable(table, [], [{ action: "set-properties", updates: { winner: "b" } }]),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({
        ok: false,
        error: { code: "COMMIT_CONFLICT" },
      });
      const winner = results.find((r) => r.ok);
      const loaded = unwrapOrThrow(await catalogue.loadTable(table));
      expect(winner?.ok && loaded.metadataLocation).toBe(
        winner?.ok && winner.value.metadataLocation,
      );
    });

    it("a stale requirement is a COMMIT_CONFLICT and writes nothing", async (t) => {
      if (skipped) return t.skip();
      unwrapOrThrow(await catalogue.createNamespace(["stale"]));
      const table = { namespace: ["stale"], name: "t" };
      const base = unwrapOrThrow(
        await catalogue.createTable(["stale"], { name: "t", schema: todoSchema }),
      );
      const before = await metadataFiles();
      const r = await catalogue.commitTable(
        table,
        [{ type: "assert-current-schema-id", "current-schema-id": 3 }],
        [{ action: "set-properties", updates: { x: "y" } }],
      );
      expect(r).toMatchObject({ ok: false, error: { code: "COMMIT_CONFLICT" } });
      expect(await metadataFiles()).toBe(before);
      expect(unwrapOrThrow(await catalogue.loadTable(table)).metadataLocation).toBe(
        base.metadataLocation,
      );
    });

    it("unknown update actions and malformed identifiers are INVALID_INPUT and write nothing", async (t) => {
      if (skipped) return t.skip();
      unwrapOrThrow(await catalogue.createNamespace(["bad"]));
      const table = { namespace: ["bad"], name: "t" };
      const base = unwrapOrThrow(
        await catalogue.createTable(["bad"], { name: "t", schema: todoSchema }),
      );
      const before = await metadataFiles();
      const r = await catalogue.commitTable(
        table,
        [],
        [{ action: "make-coffee" } as unknown as TableUpdate],
      );
      expect(r).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
      expect(await metadataFiles()).toBe(before);
      expect(unwrapOrThrow(await catalogue.loadTable(table)).metadataLocation).toBe(
        base.metadataLocation,
      );
      for (const bad of [[], ["a.b"], ["../x"], [""]]) {
        const made = await catalogue.createNamespace(bad);
        expect(made.ok || made.error.code).toBe("INVALID_INPUT");
      }
      const odd = await catalogue.createTable(["bad"], { name: "a/b", schema: todoSchema });
      expect(odd.ok || odd.error.code).toBe("INVALID_INPUT");
    });
  });
}
