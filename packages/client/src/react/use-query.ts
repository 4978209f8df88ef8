/**
 * @module react/use-query
 * A React hook over live queries (`LocalDB.watch`, or `SharedReplica.watch` in a tab that shares
 * its replica): components re-render when the tables they read change, in every tab.
 */

import { useEffect, useState } from "react";
import { LocalDB, type SqlRow } from "../db/local-db.js";
import type { BindParams } from "../db/sql-engine.js";
import type { LocalDBError } from "../errors.js";

/** What {@link useQuery} returns. */
export interface QueryState<T> {
  readonly rows: readonly T[];
  /** Set when the query itself failed (bad SQL, missing table); `rows` is then empty. */
  readonly error: LocalDBError | undefined;
}

/** Anything that keeps a query's answer fresh: a `LocalDB` or a `SharedReplica`. */
export interface LiveQuerySource {
  watch<T extends object>(
    sql: string,
    params: BindParams | undefined,
    callback: (rows: T[]) => void,
  ): () => void;
}

function run<T extends object>(
  db: LiveQuerySource | null | undefined,
  sql: string,
  params: BindParams | undefined,
): QueryState<T> {
  // A LocalDB answers at once; a shared replica answers after a message to the host tab.
  if (!(db instanceof LocalDB)) return { rows: [], error: undefined };
  const result = db.query<T>(sql, params);
  return result.ok ? { rows: result.value, error: undefined } : { rows: [], error: result.error };
}

/**
 * Runs `sql` against a {@link LocalDB} or a shared replica and re-runs it whenever a table it
 * reads changes, through a write in any tab or a sync. Pass `null` while it is still opening.
 *
 * @example
 * const { rows } = useQuery<Todo>(db, "SELECT * FROM todos WHERE completed = ?", [0]);
 */
export function useQuery<T extends object = SqlRow>(
  db: LiveQuerySource | null | undefined,
  sql: string,
  params?: BindParams,
): QueryState<T> {
  const key = JSON.stringify(params ?? null);
  const [state, setState] = useState<QueryState<T>>(() => run<T>(db, sql, params));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `params`, compared by value.
  useEffect(() => {
    setState(run<T>(db, sql, params));
    if (!db) return undefined;
    return db.watch<T>(sql, params, (rows) => setState({ rows, error: undefined }));
  }, [db, sql, key]);
  return state;
}
