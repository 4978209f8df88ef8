import "@lakesync/parquet/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import { unwrapOrThrow } from "@lakesync/core";
import { icebergRead } from "icebird";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TableIdentifier } from "../catalogue/catalogue.js";
import { SqlCatalogue } from "../catalogue/sql-catalogue.js";
import { commitSnapshot } from "../commit/commit-snapshot.js";
import { createTableIfMissing } from "../commit/table-setup.js";
import type { DataFile } from "../iceberg/content-file.js";
import { writeDataFile } from "../iceberg/data-file-writer.js";
import { partitionFields, partitionKey, partitionOf } from "../iceberg/partition.js";
import type { IcebergSchema } from "../iceberg/types.js";
import { createLakeLocation, type LakeLocation } from "../lake/lake-location.js";
import { openSqliteDriver } from "../node/sqlite-driver.js";
import { bucketSpec } from "./support/fixtures.js";
import { serveDirectory } from "./support/static-server.js";

/** icebird reads int64 columns as bigints; the table keeps to strings and longs. */
const schema: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  "identifier-field-ids": [1],
  fields: [
    { id: 1, name: "row_id", required: true, type: "string" },
    { id: 2, name: "title", required: false, type: "string" },
    { id: 3, name: "priority", required: false, type: "long" },
  ],
};
const spec = bucketSpec(4);
type Row = { row_id: string; title: string | null; priority: bigint | null };

let root: string;
let server: { url: string; close: () => Promise<void> };
let location: LakeLocation;
let catalogue: SqlCatalogue;
const table: TableIdentifier = { namespace: ["lake"], name: "todos" };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "lakesync-icebird-"));
  server = await serveDirectory(root, "/warehouse");
  location = unwrapOrThrow(
    createLakeLocation(server.url, new FileSystemAdapter({ root, sync: false })),
  );
  const driver = unwrapOrThrow(openSqliteDriver({ path: join(root, "catalogue.db") }));
  catalogue = unwrapOrThrow(await SqlCatalogue.open({ driver, location }));
});
afterAll(async () => {
  await catalogue.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** Writes one file per partition for `rows` and stores them; returns their descriptions. */
async function writeFiles(
  rows: Record<string, unknown>[],
  content: "data" | "equality-deletes",
): Promise<DataFile[]> {
  const fields = unwrapOrThrow(partitionFields(spec, schema));
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const key = partitionKey(unwrapOrThrow(partitionOf(fields, row)));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const files: DataFile[] = [];
  for (const group of groups.values()) {
    const filePath = `${server.url}/lake/todos/data/${crypto.randomUUID()}.parquet`;
    const written = unwrapOrThrow(writeDataFile({ schema, spec, rows: group, content, filePath }));
    unwrapOrThrow(await location.write(filePath, written.bytes));
    files.push(written.dataFile);
  }
  return files;
}

const sorted = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => String(a.row_id).localeCompare(String(b.row_id)));

describe("icebird 0.3.1 reads the tables LakeSync commits", () => {
  const first: Row[] = Array.from({ length: 12 }, (_, i) => ({
    row_id: `todo-${i}`,
    title: `task ${i}`,
    priority: BigInt(i),
  }));
  const updated: Row[] = [
    { row_id: "todo-3", title: "task 3, edited", priority: 30n },
    { row_id: "todo-12", title: "a new task", priority: null },
  ];
  const deleted = ["todo-5", "todo-7"];
  let firstMetadata = "";
  let secondMetadata = "";

  beforeAll(async () => {
    unwrapOrThrow(await createTableIfMissing(catalogue, table, { schema, partitionSpec: spec }));
    const one = unwrapOrThrow(
      await commitSnapshot({
        catalogue,
        location,
        table,
        operation: "append",
        addedFiles: await writeFiles(first, "data"),
        commitKey: "gw:1-12",
      }),
    );
    firstMetadata = one.table.metadataLocation;
    // A flush: the whole new row of every upserted row, and an equality delete for every touched row.
    const touched = [...updated.map((r) => r.row_id), ...deleted].map((row_id) => ({ row_id }));
    const two = unwrapOrThrow(
      await commitSnapshot({
        catalogue,
        location,
        table,
        operation: "overwrite",
        addedFiles: [
          ...(await writeFiles(updated, "data")),
          ...(await writeFiles(touched, "equality-deletes")),
        ],
        commitKey: "gw:13-20",
      }),
    );
    secondMetadata = two.table.metadataLocation;
  });

  const read = (metadataLocation: string) =>
    icebergRead({
      tableUrl: `${server.url}/lake/todos`,
      metadataFileName: metadataLocation.slice(metadataLocation.lastIndexOf("/") + 1),
    });

  it("the current snapshot: updated rows replaced, deleted rows gone, the rest untouched", async () => {
    const expected = sorted([
      ...first.filter(
        (r) => !deleted.includes(r.row_id) && !updated.some((u) => u.row_id === r.row_id),
      ),
      ...updated,
    ]);
    expect(sorted(await read(secondMetadata))).toEqual(expected);
  });

  it("the earlier snapshot, through its metadata file: exactly the first rows", async () => {
    expect(sorted(await read(firstMetadata))).toEqual(sorted(first));
  });
});
