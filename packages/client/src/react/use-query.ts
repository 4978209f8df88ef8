/**
 * @module react/use-query
 * A React hook over `LocalDB.watch`: components re-render when the tables they read change.
 */

import { useEffect, useState } from "react";
import type { BindParams } from "sql.js";
import type { LocalDB, SqlRow } from "../db/local-db.js";
import type { LocalDBError } from "../errors.js";

/** What {@link useQuery} returns. */
export interface QueryState<T> {
  readonly rows: readonly T[];
  /** Set when the query itself failed (bad SQL, missing table); `rows` is then empty. */
  readonly error: LocalDBError | undefined;
}

function run<T extends object>(
  db: LocalDB | null | undefined,
  sql: string,
  params: BindParams | undefined,
): QueryState<T> {
  if (!db) return { rows: [], error: undefined };
  const result = db.query<T>(sql, params);
  return result.ok ? { rows: result.value, error: undefined } : { rows: [], error: result.error };
}

/**
 * Runs `sql` against a {@link LocalDB} and re-runs it whenever a table it reads changes, through
 * a local write or a sync. Pass `null` while the database is still opening.
 *
 * @example
 * const { rows } = useQuery<Todo>(db, "SELECT * FROM todos WHERE completed = ?", [0]);
 */
export function useQuery<T extends object = SqlRow>(
  db: LocalDB | null | undefined,
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
