/**
 * @module lake-tables
 * The synced tables of a namespace as the lake layout of ADR-014 holds them: each synced table
 * `T` is the table `ns.T` beside its merge metadata `ns._lakesync_state_T`; the namespace's
 * history is `ns._lakesync_history`.
 */
import {
  type Catalogue,
  HISTORY_TABLE,
  type Namespace,
  STATE_TABLE_PREFIX,
} from "@lakesync/catalogue";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";

/** The namespace's synced tables and whether it has a history table. */
export interface NamespaceTables {
  /** The synced tables' names (`T`), sorted. */
  readonly synced: readonly string[];
  readonly history: boolean;
}

/**
 * Lists the synced tables of `namespace` (those with a state table beside them). `Err`: the
 * catalogue's (`NO_SUCH_NAMESPACE` before the first flush).
 */
export async function namespaceTables(
  catalogue: Catalogue,
  namespace: Namespace,
): Promise<Result<NamespaceTables, LakeSyncError>> {
  const listed = await catalogue.listTables(namespace);
  if (!listed.ok) return listed;
  const names = new Set(listed.value.map((t) => t.name));
  const synced = [...names]
    .filter((n) => !n.startsWith("_lakesync_") && names.has(`${STATE_TABLE_PREFIX}${n}`))
    .sort();
  return Ok({ synced, history: names.has(HISTORY_TABLE) });
}
