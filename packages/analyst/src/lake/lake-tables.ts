/**
 * @module lake/lake-tables
 * The tables of a lake namespace that readers see: the synced tables (`ns.T`), and on request
 * LakeSync's own (`ns._lakesync_state_T`, `ns._lakesync_history`), which are hidden by default.
 */
import {
  type Catalogue,
  HISTORY_TABLE,
  type Namespace,
  STATE_TABLE_PREFIX,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";

/** True for the names of LakeSync's merge-metadata and history tables. */
export function isInternalTable(name: string): boolean {
  return (
    name === HISTORY_TABLE || name.startsWith(STATE_TABLE_PREFIX) || name.startsWith("_lakesync_")
  );
}

/**
 * The names of the tables in `namespace`, sorted; LakeSync's own only with `includeInternal`.
 * `Err`: the catalogue's (`NO_SUCH_NAMESPACE` before the first flush).
 */
export async function listLakeTables(
  catalogue: Catalogue,
  namespace: Namespace,
  options: { readonly includeInternal?: boolean } = {},
): Promise<Result<string[], LakeSyncError>> {
  const listed = await catalogue.listTables(namespace);
  if (!listed.ok) return listed;
  return Ok(
    listed.value
      .map((t) => t.name)
      .filter((name) => options.includeInternal === true || !isInternalTable(name))
      .sort(),
  );
}
