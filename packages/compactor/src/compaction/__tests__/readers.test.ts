import "@lakesync/parquet/node";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  HISTORY_TABLE,
  lakeTables,
  planScan,
  type ScanFile,
  type TableIdentifier,
} from "@lakesync/catalogue";
import { delta, RowIndex } from "@lakesync/catalogue/testing";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { icebergRead } from "icebird";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { Compactor } from "../compactor.js";

const v1: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "meta", type: "json" },
  ],
};
const v2: TableSchema = { ...v1, columns: [...v1.columns, { name: "priority", type: "number" }] };
const ids = lakeTables(["lake"], "todos");
const TABLES: readonly [string, TableIdentifier, string][] = [
  ["todos", ids.main, "row_id"],
  ["its state table", ids.state, "row_id"],
  ["the history", { namespace: ["lake"], name: HISTORY_TABLE }, "delta_id"],
];

let lake: TestLake;
let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;
/** Per table: the metadata file before compaction, and what each reader read then. */
const before = new Map<string, { metadata: string; icebird: unknown[]; duckdb: unknown[] }>();

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sortBy = (key: string) => (rows: Record<string, unknown>[]) =>
  rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? null])))
    .sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : 1));

async function loaded(table: TableIdentifier) {
  return unwrapOrThrow(await lake.catalogue.loadTable(table));
}

async function viaIcebird(table: TableIdentifier, key: string, metadataFile?: string) {
  const { metadata, metadataLocation } = await loaded(table);
  const rows = await icebergRead({
    tableUrl: metadata.location,
    metadataFileName: metadataFile ?? metadataLocation.slice(metadataLocation.lastIndexOf("/") + 1),
  });
  return sortBy(key)(rows as Record<string, unknown>[]);
}

/** The fold DuckDB does: the manifests' data files minus equality deletes with a higher sequence number. */
async function viaDuckdb(table: TableIdentifier, key: string) {
  const { metadata } = await loaded(table);
  const plan = unwrapOrThrow(await planScan(lake.location, metadata));
  const values = (list: readonly ScanFile[]) =>
    list.map((f) => `(${quote(lake.pathOf(f.dataFile.filePath))}, ${f.sequenceNumber})`).join(", ");
  const paths = (list: readonly ScanFile[]) =>
    `[${list.map((f) => quote(lake.pathOf(f.dataFile.filePath))).join(", ")}]`;
  const deletes =
    plan.deleteFiles.length === 0
      ? "SELECT NULL::VARCHAR AS row_id, 0 AS seq WHERE false"
      : `SELECT x.row_id, f.seq FROM read_parquet(${paths(plan.deleteFiles)}, filename = true) x
         JOIN (VALUES ${values(plan.deleteFiles)}) f(file, seq) ON x.filename = f.file`;
  const sql = `
    WITH data AS (
           SELECT d.* EXCLUDE (filename), f.seq AS _seq
           FROM read_parquet(${paths(plan.dataFiles)}, filename = true, union_by_name = true) d
           JOIN (VALUES ${values(plan.dataFiles)}) f(file, seq) ON d.filename = f.file),
         deletes AS (${deletes})
    SELECT * EXCLUDE (_seq) FROM data
    WHERE NOT EXISTS (SELECT 1 FROM deletes WHERE deletes.row_id = data.row_id AND deletes.seq > data._seq)`;
  return sortBy(key)(
    (await duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
  );
}

beforeAll(async () => {
  lake = await openTestLake({ http: true, buckets: 4 });
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  duck = await instance.connect();
  const schemas = new Map([["todos", v1]]);
  const index = new RowIndex("gw", schemas);
  for (let i = 0; i < 24; i++)
    index.apply(
      delta("INSERT", "todos", `t${i}`, "phone", (10n << 16n) + BigInt(i), [
        { column: "title", value: `task ${i}` },
        { column: "done", value: false },
        { column: "meta", value: { i } },
      ]),
    );
  await lake.flush(index.take("todos", 12));
  await lake.flush(index.take("todos"));
  for (let i = 0; i < 24; i += 3)
    index.apply(
      delta("UPDATE", "todos", `t${i}`, "laptop", 20n << 16n, [{ column: "done", value: true }]),
    );
  for (let i = 1; i < 24; i += 5)
    index.apply(delta("DELETE", "todos", `t${i}`, "laptop", 30n << 16n));
  await lake.flush(index.take("todos"));
  schemas.set("todos", v2);
  index.apply(
    delta("UPDATE", "todos", "t6", "phone", 40n << 16n, [{ column: "priority", value: 2 }]),
  );
  index.apply(
    delta("UPDATE", "todos", "t1", "phone", 40n << 16n, [{ column: "title", value: "back" }]),
  );
  await lake.flush(index.take("todos"));
  for (const [name, table, key] of TABLES) {
    const { metadataLocation } = await loaded(table);
    before.set(name, {
      metadata: metadataLocation.slice(metadataLocation.lastIndexOf("/") + 1),
      icebird: await viaIcebird(table, key),
      duckdb: await viaDuckdb(table, key),
    });
  }
  unwrapOrThrow(await new Compactor({ ...lake, minSmallFiles: 1 }).compactNamespace(["lake"]));
});
afterAll(async () => {
  duck?.closeSync();
  await lake?.close();
});

describe.each(TABLES)("%s after compaction", (name, table, key) => {
  it("icebird reads the same rows as before, from fewer files and no deletes", async () => {
    const was = before.get(name);
    expect(was?.icebird.length).toBeGreaterThan(0);
    expect(await viaIcebird(table, key)).toEqual(was?.icebird);
    const { metadata } = await loaded(table);
    const plan = unwrapOrThrow(await planScan(lake.location, metadata));
    expect(plan.snapshot?.summary.operation).toBe("replace");
    expect(plan.deleteFiles).toHaveLength(0);
  });

  it("DuckDB's read_parquet minus the deletes reads the same rows as before", async () => {
    const was = before.get(name);
    expect(await viaDuckdb(table, key)).toEqual(was?.duckdb);
    expect(was?.duckdb).toHaveLength(was?.icebird.length ?? -1);
  });

  it("time travel to the snapshot before the compaction still reads the old rows", async () => {
    const was = before.get(name);
    expect(await viaIcebird(table, key, was?.metadata)).toEqual(was?.icebird);
  });
});
