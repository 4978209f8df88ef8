import { MemoryAdapter } from "@lakesync/adapter";
import { unwrapOrThrow } from "@lakesync/core";
import { SqlCatalogue } from "../../catalogue/sql-catalogue.js";
import type { IcebergSchema, PartitionSpec } from "../../iceberg/types.js";
import { createLakeLocation, type LakeLocation } from "../../lake/lake-location.js";
import { openSqliteDriver } from "../../node/sqlite-driver.js";

/** A LakeSync-like table: `row_id` identifier plus typed columns. */
export const todoSchema: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  "identifier-field-ids": [1],
  fields: [
    { id: 1, name: "row_id", required: true, type: "string" },
    { id: 2, name: "title", required: false, type: "string" },
    { id: 3, name: "done", required: false, type: "boolean" },
    { id: 4, name: "priority", required: false, type: "long" },
    { id: 5, name: "score", required: false, type: "double" },
  ],
};

/** `bucket[n]` on `row_id`. */
export function bucketSpec(n: number): PartitionSpec {
  return {
    "spec-id": 0,
    fields: [
      { "source-id": 1, "field-id": 1000, name: "row_id_bucket", transform: `bucket[${n}]` },
    ],
  };
}

/** A warehouse in memory. */
export function memoryLocation(): LakeLocation {
  return unwrapOrThrow(createLakeLocation("memory://lake", new MemoryAdapter()));
}

/** A SQL catalogue on an in-memory SQLite database over `location`. */
export async function sqliteCatalogue(
  location: LakeLocation = memoryLocation(),
  now?: () => number,
): Promise<SqlCatalogue> {
  const driver = unwrapOrThrow(openSqliteDriver({ path: ":memory:" }));
  return unwrapOrThrow(await SqlCatalogue.open({ driver, location, ...(now ? { now } : {}) }));
}
