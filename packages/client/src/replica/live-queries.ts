/**
 * @module replica/live-queries
 * Queries a tab keeps fresh: re-run when the host says a table they read changed, one run at a
 * time per query, and only the newest answer delivered.
 */
import type { LakeSyncError, Result } from "@lakesync/core";

/** Runs a query wherever the replica lives. */
export type QueryRunner = (
  sql: string,
  params: unknown,
) => Promise<Result<object[], LakeSyncError>>;

interface LiveQuery {
  readonly sql: string;
  readonly params: unknown;
  readonly tables: ReadonlySet<string>;
  readonly callback: (rows: object[]) => void;
  running: boolean;
  again: boolean;
  stopped: boolean;
}

/** The live queries of one tab. */
export class LiveQueries {
  readonly #queries = new Set<LiveQuery>();
  readonly #run: QueryRunner;

  constructor(run: QueryRunner) {
    this.#run = run;
  }

  /** Adds a query, runs it now, and returns the function that stops it. */
  add(
    sql: string,
    params: unknown,
    tables: readonly string[],
    callback: (rows: object[]) => void,
  ): () => void {
    const query: LiveQuery = {
      sql,
      params,
      tables: new Set(tables.map((t) => t.toLowerCase())),
      callback,
      running: false,
      again: false,
      stopped: false,
    };
    this.#queries.add(query);
    this.#refresh(query);
    return () => {
      query.stopped = true;
      this.#queries.delete(query);
    };
  }

  /** Re-runs the queries that read any of `tables` (every query when `tables` is undefined). */
  changed(tables?: readonly string[]): void {
    const hit = tables ? new Set(tables.map((t) => t.toLowerCase())) : undefined;
    for (const query of this.#queries) {
      if (!hit || [...query.tables].some((t) => hit.has(t))) this.#refresh(query);
    }
  }

  /** Stops every query. */
  clear(): void {
    for (const query of this.#queries) query.stopped = true;
    this.#queries.clear();
  }

  #refresh(query: LiveQuery): void {
    if (query.running) {
      query.again = true;
      return;
    }
    query.running = true;
    void this.#run(query.sql, query.params).then((rows) => {
      query.running = false;
      if (query.stopped) return;
      // A newer change arrived while this ran: its answer may be stale, run again first.
      if (query.again) {
        query.again = false;
        this.#refresh(query);
        return;
      }
      if (rows.ok) query.callback(rows.value);
    });
  }
}
