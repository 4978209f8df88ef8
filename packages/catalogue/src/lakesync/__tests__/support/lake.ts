import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import { unwrapOrThrow } from "@lakesync/core";
import { serveDirectory } from "../../../__tests__/support/static-server.js";
import type { SqlCatalogue } from "../../../catalogue/sql-catalogue.js";
import { createLakeLocation, type LakeLocation } from "../../../lake/lake-location.js";
import { openSqlCatalogue } from "../../../node.js";

/** A lake for one test: a temp directory, its warehouse URI, and a SQLite `:memory:` catalogue. */
export interface TestLake {
  readonly root: string;
  readonly location: LakeLocation;
  readonly catalogue: SqlCatalogue;
  /** The file on disk of a warehouse URI. */
  readonly pathOf: (uri: string) => string;
  close(): Promise<void>;
}

/**
 * Opens a lake in a fresh temp directory. With `http`, the warehouse is served over a local HTTP
 * server with Range support (for icebird, which only fetches); otherwise it is a `file://` URI.
 */
export async function openTestLake(options: { http?: boolean } = {}): Promise<TestLake> {
  const root = mkdtempSync(join(tmpdir(), "lakesync-layout-"));
  const server = options.http ? await serveDirectory(root, "/warehouse") : undefined;
  const warehouse = server ? server.url : `file://${root}`;
  const adapter = new FileSystemAdapter({ root, sync: false });
  const catalogue = unwrapOrThrow(
    await openSqlCatalogue({ warehouse, adapter, sqlite: ":memory:" }),
  );
  const location = unwrapOrThrow(createLakeLocation(warehouse, adapter));
  return {
    root,
    location,
    catalogue,
    pathOf: (uri) => join(root, ...unwrapOrThrow(location.keyOf(uri)).split("/")),
    async close() {
      await catalogue.close();
      await server?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
