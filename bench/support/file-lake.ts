/**
 * @module bench/support/file-lake
 * A benchmark's lake: a file-system warehouse under `{dir}/lake` (no fsync: benchmarks measure
 * the code, not the disk) with the SQLite catalogue in `{dir}/catalogue.sqlite`. Child processes
 * reopen the same directory.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  type Catalogue,
  createLakeLocation,
  type LakeLocation,
  openSqlCatalogue,
} from "@lakesync/catalogue/node";
import { unwrapOrThrow } from "@lakesync/core";

/** Opens (creating it when needed) the lake in `dir`. */
export async function openFileLake(
  dir: string,
): Promise<{ catalogue: Catalogue; location: LakeLocation }> {
  const root = join(dir, "lake");
  mkdirSync(root, { recursive: true });
  const adapter = new FileSystemAdapter({ root, sync: false });
  const warehouse = `file://${root}`;
  return {
    catalogue: unwrapOrThrow(
      await openSqlCatalogue({ warehouse, adapter, sqlite: join(dir, "catalogue.sqlite") }),
    ),
    location: unwrapOrThrow(createLakeLocation(warehouse, adapter)),
  };
}
