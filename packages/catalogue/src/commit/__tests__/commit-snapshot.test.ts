import { Err, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BarrierAdapter } from "../../__tests__/support/barrier-adapter.js";
import { freshSchema, PG_URL, postgresAvailable } from "../../__tests__/support/databases.js";
import { bucketSpec, todoSchema } from "../../__tests__/support/fixtures.js";
import { ScriptedCatalogue } from "../../__tests__/support/scripted-catalogue.js";
import type { LoadedTable, TableIdentifier } from "../../catalogue/catalogue.js";
import { SqlCatalogue } from "../../catalogue/sql-catalogue.js";
import type { SqlDriver } from "../../catalogue/sql-driver.js";
import { CatalogueError } from "../../errors.js";
import type { DataFile } from "../../iceberg/content-file.js";
import { createLakeLocation, type LakeLocation } from "../../lake/lake-location.js";
import { openPostgresDriver } from "../../node/postgres-driver.js";
import { openSqliteDriver } from "../../node/sqlite-driver.js";
import { planScan } from "../../scan/plan-scan.js";
import { type CommitSnapshotRequest, commitSnapshot } from "../commit-snapshot.js";
import { COMMIT_KEY_PROPERTY } from "../snapshot-summary.js";
import { createTableIfMissing } from "../table-setup.js";

const noWait = { backoffMs: () => 0 };

function file(name: string, bucket: number, records: number, content: 0 | 2 = 0): DataFile {
  return {
    content,
    filePath: `memory://wh/lake/t/data/${name}.parquet`,
    fileFormat: "PARQUET",
    partition: { row_id_bucket: bucket },
    recordCount: records,
    fileSizeInBytes: 100 + records,
    ...(content === 2 ? { equalityIds: [1] } : {}),
  };
}

function describeCommits(
  name: string,
  driver: () => Promise<{ driver: SqlDriver; drop?: () => Promise<void> } | undefined>,
) {
  describe(`commitSnapshot on the SQL catalogue (${name})`, () => {
    let adapter: BarrierAdapter;
    let location: LakeLocation;
    let catalogue: SqlCatalogue;
    let drop: (() => Promise<void>) | undefined;
    let counter = 0;
    let table: TableIdentifier;

    beforeAll(async () => {
      const opened = await driver();
      if (!opened) return;
      drop = opened.drop;
      adapter = new BarrierAdapter();
      location = unwrapOrThrow(createLakeLocation("memory://wh", adapter));
      catalogue = unwrapOrThrow(await SqlCatalogue.open({ driver: opened.driver, location }));
    });
    afterAll(async () => {
      await catalogue?.close();
      await drop?.();
    });

    const freshTable = async (): Promise<TableIdentifier> => {
      table = { namespace: ["lake"], name: `t${++counter}` };
      unwrapOrThrow(
        await createTableIfMissing(catalogue, table, {
          schema: todoSchema,
          partitionSpec: bucketSpec(4),
        }),
      );
      return table;
    };
    const commit = (
      request: Partial<CommitSnapshotRequest> & Pick<CommitSnapshotRequest, "addedFiles">,
    ) =>
      commitSnapshot({
        catalogue,
        location,
        table,
        operation: "append",
        retry: noWait,
        ...request,
      });
    const ready = (t: { skip: () => void }) => {
      if (!catalogue) t.skip();
    };

    it("an append makes snapshot 1 with the spec's summary counters and one data manifest", async (t) => {
      ready(t);
      await freshTable();
      const done = unwrapOrThrow(
        await commit({
          addedFiles: [file("a", 1, 3), file("b", 2, 4)],
          summary: { "lakesync.gateway": "g1" },
        }),
      );
      expect(done.alreadyCommitted).toBe(false);
      expect(done.snapshot).toMatchObject({ "sequence-number": 1, "schema-id": 0 });
      expect(done.snapshot["parent-snapshot-id"]).toBeUndefined();
      expect(
        Number.isSafeInteger(done.snapshot["snapshot-id"]) && done.snapshot["snapshot-id"] > 0,
      ).toBe(true);
      expect(done.snapshot.summary).toMatchObject({
        operation: "append",
        "lakesync.gateway": "g1",
        "added-data-files": "2",
        "added-records": "7",
        "added-files-size": "207",
        "total-data-files": "2",
        "total-records": "7",
        "total-delete-files": "0",
        "changed-partition-count": "2",
        "manifests-created": "1",
      });
      expect(done.table.metadata["current-snapshot-id"]).toBe(done.snapshot["snapshot-id"]);
      const plan = unwrapOrThrow(await planScan(location, done.table.metadata));
      expect(
        plan.dataFiles.map((f) => [f.dataFile.filePath, f.sequenceNumber, f.snapshotId]),
      ).toEqual([
        [file("a", 1, 3).filePath, 1, done.snapshot["snapshot-id"]],
        [file("b", 2, 4).filePath, 1, done.snapshot["snapshot-id"]],
      ]);
    });

    it("an overwrite adds data and equality deletes on top of the parent, keeping running totals", async (t) => {
      ready(t);
      await freshTable();
      const first = unwrapOrThrow(await commit({ addedFiles: [file("a", 1, 3)] }));
      const second = unwrapOrThrow(
        await commit({ operation: "overwrite", addedFiles: [file("b", 1, 2), file("d", 1, 2, 2)] }),
      );
      expect(second.snapshot).toMatchObject({
        "sequence-number": 2,
        "parent-snapshot-id": first.snapshot["snapshot-id"],
      });
      expect(second.snapshot.summary).toMatchObject({
        operation: "overwrite",
        "added-data-files": "1",
        "added-delete-files": "1",
        "added-equality-delete-files": "1",
        "added-equality-deletes": "2",
        "total-data-files": "2",
        "total-delete-files": "1",
        "total-records": "5",
        "manifests-created": "2",
        "manifests-kept": "1",
      });
      const plan = unwrapOrThrow(await planScan(location, second.table.metadata));
      expect(plan.dataFiles.map((f) => f.sequenceNumber).sort()).toEqual([1, 2]);
      expect(plan.deleteFiles.map((f) => [f.dataFile.content, f.sequenceNumber])).toEqual([[2, 2]]);
    });

    it("two concurrent writers both land: nothing lost, nothing doubled", async (t) => {
      ready(t);
      await freshTable();
      unwrapOrThrow(await commit({ addedFiles: [file("base", 0, 1)] }));
      // Both writers load the same head before either swaps, so one of them must retry.
      adapter.arm(2, new RegExp(`^lake/${table.name}/metadata/.*\\.metadata\\.json$`));
      const counting = new ScriptedCatalogue(catalogue, (_n, forward) => forward());
      const [a, b] = await Promise.all([
        commit({
          catalogue: counting,
          addedFiles: [file("from-a", 1, 2)],
          commitKey: "writer-a:1-10",
        }),
        commit({
          catalogue: counting,
          addedFiles: [file("from-b", 2, 3)],
          commitKey: "writer-b:1-10",
        }),
      ]);
      expect(counting.commits).toBe(3);
      const [sa, sb] = [unwrapOrThrow(a).snapshot, unwrapOrThrow(b).snapshot];
      expect([sa["sequence-number"], sb["sequence-number"]].sort()).toEqual([2, 3]);
      const loaded = unwrapOrThrow(await catalogue.loadTable(table));
      expect(loaded.metadata.snapshots).toHaveLength(3);
      const plan = unwrapOrThrow(await planScan(location, loaded.metadata));
      expect(plan.dataFiles.map((f) => f.dataFile.filePath.split("/").pop()).sort()).toEqual([
        "base.parquet",
        "from-a.parquet",
        "from-b.parquet",
      ]);
      expect(currentSummary(loaded)["total-data-files"]).toBe("3");
    });

    it("a commit whose response is lost is found by its key and not applied twice", async (t) => {
      ready(t);
      await freshTable();
      const lossy = new ScriptedCatalogue(catalogue, async (n, forward) => {
        const applied = await forward();
        if (n === 1 && applied.ok)
          return Err(new CatalogueError("COMMIT_STATE_UNKNOWN", "the response was lost"));
        return applied;
      });
      const request = {
        catalogue: lossy,
        location,
        table,
        operation: "append" as const,
        retry: noWait,
        addedFiles: [file("x", 1, 5)],
        commitKey: "gw:0-99",
      };
      const first = unwrapOrThrow(await commitSnapshot(request));
      expect(first.alreadyCommitted).toBe(false);
      expect(lossy.commits).toBe(1);
      const again = unwrapOrThrow(await commitSnapshot({ ...request, catalogue }));
      expect(again.alreadyCommitted).toBe(true);
      expect(again.snapshot["snapshot-id"]).toBe(first.snapshot["snapshot-id"]);
      const loaded = unwrapOrThrow(await catalogue.loadTable(table));
      expect(loaded.metadata.snapshots).toHaveLength(1);
      expect(loaded.metadata.snapshots?.[0]?.summary[COMMIT_KEY_PROPERTY]).toBe("gw:0-99");
    });

    it("a catalogue that throws after applying is treated as an unknown outcome, and the snapshot is found", async (t) => {
      ready(t);
      await freshTable();
      const throwing = new ScriptedCatalogue(catalogue, async (n, forward) => {
        const applied = await forward();
        if (n === 1) throw new Error("socket hang up");
        return applied;
      });
      const done = unwrapOrThrow(
        await commitSnapshot({
          catalogue: throwing,
          location,
          table,
          operation: "append",
          retry: noWait,
          addedFiles: [file("y", 1, 1)],
        }),
      );
      expect(done.alreadyCommitted).toBe(false);
      expect(unwrapOrThrow(await catalogue.loadTable(table)).metadata.snapshots).toHaveLength(1);
    });

    it("a replace rewrites the manifests: removed files become DELETED, the rest EXISTING", async (t) => {
      ready(t);
      await freshTable();
      unwrapOrThrow(
        await commit({ addedFiles: [file("a", 1, 3), file("b", 1, 4), file("keep", 2, 1)] }),
      );
      const deletes = unwrapOrThrow(
        await commit({ operation: "overwrite", addedFiles: [file("del", 1, 2, 2)] }),
      );
      const compacted = unwrapOrThrow(
        await commit({
          operation: "replace",
          addedFiles: [file("ab", 1, 5)],
          removedFiles: [
            file("a", 1, 3).filePath,
            file("b", 1, 4).filePath,
            file("del", 1, 2, 2).filePath,
          ],
          dataSequenceNumber: deletes.snapshot["sequence-number"],
        }),
      );
      expect(compacted.snapshot.summary).toMatchObject({
        operation: "replace",
        "added-data-files": "1",
        "deleted-data-files": "2",
        "removed-delete-files": "1",
        "deleted-records": "7",
        "total-data-files": "2",
        "total-delete-files": "0",
        "total-records": "6",
        "manifests-replaced": "2",
      });
      const plan = unwrapOrThrow(await planScan(location, compacted.table.metadata));
      expect(
        plan.dataFiles.map((f) => [f.dataFile.filePath.split("/").pop(), f.sequenceNumber]),
      ).toEqual([
        ["ab.parquet", 2],
        ["keep.parquet", 1],
      ]);
      expect(plan.deleteFiles).toEqual([]);
      const before = unwrapOrThrow(
        await planScan(location, compacted.table.metadata, {
          snapshotId: deletes.snapshot["snapshot-id"],
        }),
      );
      expect(before.dataFiles).toHaveLength(3);
    });

    it("a replace whose files a concurrent commit removed is a COMMIT_CONFLICT for the caller to re-plan", async (t) => {
      ready(t);
      await freshTable();
      unwrapOrThrow(await commit({ addedFiles: [file("a", 1, 3), file("b", 1, 4)] }));
      const racing = new ScriptedCatalogue(catalogue, async (n, forward) => {
        if (n === 1)
          unwrapOrThrow(
            await commit({
              operation: "delete",
              addedFiles: [],
              removedFiles: [file("a", 1, 3).filePath],
            }),
          );
        return forward();
      });
      const r = await commitSnapshot({
        catalogue: racing,
        location,
        table,
        operation: "replace",
        retry: noWait,
        addedFiles: [file("ab", 1, 7)],
        removedFiles: [file("a", 1, 3).filePath, file("b", 1, 4).filePath],
      });
      expect(r).toMatchObject({ ok: false, error: { code: "COMMIT_CONFLICT" } });
    });

    it("a replace without a data sequence number conflicts with delete files committed meanwhile", async (t) => {
      ready(t);
      await freshTable();
      unwrapOrThrow(await commit({ addedFiles: [file("a", 1, 3)] }));
      const racing = new ScriptedCatalogue(catalogue, async (n, forward) => {
        if (n === 1)
          unwrapOrThrow(await commit({ operation: "overwrite", addedFiles: [file("d", 1, 1, 2)] }));
        return forward();
      });
      const r = await commitSnapshot({
        catalogue: racing,
        location,
        table,
        operation: "replace",
        retry: noWait,
        addedFiles: [file("a2", 1, 3)],
        removedFiles: [file("a", 1, 3).filePath],
      });
      expect(r).toMatchObject({ ok: false, error: { code: "COMMIT_CONFLICT" } });
    });

    it("gives up after the attempts run out and leaves no files behind", async (t) => {
      ready(t);
      await freshTable();
      const before = unwrapOrThrow(await adapter.listObjects(`lake/${table.name}/`)).length;
      const busy = new ScriptedCatalogue(catalogue, async () =>
        Err(new CatalogueError("COMMIT_CONFLICT", "busy")),
      );
      const r = await commitSnapshot({
        catalogue: busy,
        location,
        table,
        operation: "append",
        retry: { attempts: 3, backoffMs: () => 0 },
        addedFiles: [file("z", 1, 1)],
      });
      expect(r).toMatchObject({ ok: false, error: { code: "COMMIT_CONFLICT" } });
      expect(busy.commits).toBe(3);
      expect(unwrapOrThrow(await adapter.listObjects(`lake/${table.name}/`))).toHaveLength(before);
    });

    it("refuses requests that do not fit their operation, and files to remove that are not live", async (t) => {
      ready(t);
      await freshTable();
      expect(await commit({ addedFiles: [file("d", 1, 1, 2)] })).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
      expect(await commit({ operation: "delete", addedFiles: [file("a", 1, 1)] })).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
      expect(await commit({ addedFiles: [file("a", 1, 1), file("a", 1, 1)] })).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
      expect(
        await commit({
          operation: "replace",
          addedFiles: [],
          removedFiles: ["memory://wh/lake/nowhere.parquet"],
        }),
      ).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
      expect(
        await commit({ addedFiles: [{ ...file("p", 1, 1), partition: { wrong: 1 } }] }),
      ).toMatchObject({
        ok: false,
        error: { code: "INVALID_INPUT" },
      });
      expect(unwrapOrThrow(await catalogue.loadTable(table)).metadata.snapshots).toEqual([]);
    });
  });
}

function currentSummary(loaded: LoadedTable): Record<string, string> {
  const id = loaded.metadata["current-snapshot-id"];
  return loaded.metadata.snapshots?.find((s) => s["snapshot-id"] === id)?.summary ?? {};
}

describeCommits("SQLite", async () => ({
  driver: unwrapOrThrow(openSqliteDriver({ path: ":memory:" })),
}));
describeCommits("PostgreSQL", async () => {
  if (!(await postgresAvailable())) return undefined;
  const schema = await freshSchema();
  return {
    driver: openPostgresDriver({ connectionString: PG_URL, schema: schema.name }),
    drop: schema.drop,
  };
});
