/**
 * @module retention/log-retention
 * Keeping the gateway's own log bounded: trimming flushed entries beyond the retention from
 * memory, and rewriting the durable store once enough were trimmed.
 */
import {
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  rowStateToDeltas,
} from "@lakesync/core";
import type { Log } from "../log/log.js";
import type { RowStates } from "../state/row-states.js";
import type { GatewayStore } from "../store/gateway-store.js";

/** How much log a gateway keeps. */
export interface RetentionPolicy {
  /** Flushed entries kept in memory for incremental pulls. */
  readonly retention: number;
  /** Rewrite the store once this many entries were trimmed since the last rewrite. */
  readonly rewriteAfterTrimmed: number;
}

/**
 * Trims the log (only flushed entries, oldest first, beyond the retention) and rewrites the
 * store as the merged rows plus the retained log, so it stops growing with history. A failed
 * rewrite stays visible in {@link LogRetention.lastRewriteError} until one succeeds.
 */
export class LogRetention {
  readonly #policy: RetentionPolicy;
  readonly #log: Log;
  #trimmedSinceRewrite = 0;
  #lastRewriteError: string | undefined;

  constructor(policy: RetentionPolicy, log: Log) {
    this.#policy = policy;
    this.#log = log;
  }

  /** Why the last rewrite of the store failed, until one succeeds. */
  get lastRewriteError(): string | undefined {
    return this.#lastRewriteError;
  }

  /** True when enough entries were trimmed for a rewrite to be worth it. */
  get rewriteDue(): boolean {
    return this.#trimmedSinceRewrite >= this.#policy.rewriteAfterTrimmed;
  }

  /** Drops flushed entries (`seq <= flushedThrough`) beyond the retention from the log. */
  trim(flushedThrough: HLCTimestamp): void {
    this.#trimmedSinceRewrite += this.#log.trimTo(this.#policy.retention, flushedThrough);
  }

  /**
   * Rewrites `store` (when it supports it) as the merged rows plus the retained log; a store
   * without `rewrite` is left alone.
   */
  async rewrite(
    store: GatewayStore,
    rows: RowStates,
    flushedThrough: HLCTimestamp,
    meta: ReadonlyMap<string, string>,
  ): Promise<Result<void, LakeSyncError>> {
    if (!store.rewrite) return Ok(undefined);
    const merged: RowDelta[] = [];
    for (const table of rows.tables())
      for (let page = rows.scan(table, undefined, 10_000); page.length > 0; ) {
        for (const { rowId, state } of page)
          for (const delta of rowStateToDeltas(table, rowId, state, { ids: false }))
            merged.push(delta);
        page = rows.scan(table, page[page.length - 1]?.rowId, 10_000);
      }
    const log = this.#log;
    const done = await store.rewrite({
      rows: merged,
      entries: [...log.after(log.horizon)],
      horizon: log.horizon,
      flushedThrough,
      meta,
    });
    if (done.ok) {
      this.#trimmedSinceRewrite = 0;
      this.#lastRewriteError = undefined;
    } else {
      this.#lastRewriteError = `the log rewrite failed (retried after the next flush): ${done.error.message}`;
    }
    return done;
  }
}
