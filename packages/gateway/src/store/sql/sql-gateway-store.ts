/**
 * @module store/sql/sql-gateway-store
 * A gateway store on SQLite (Node's `node:sqlite`, a Durable Object's storage): the log, every
 * row's merged state and the registry's documents, served back through bounded caches so that
 * a gateway's memory is set by configuration, not by how many rows it holds.
 */
import { Err, HLC_ZERO, type HLCTimestamp, LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { LogEntry } from "../../log/log-entry.js";
import type { RowChange } from "../../push/row-overlay.js";
import { encodeLogBatch } from "../batch-codec.js";
import type { GatewayStore, StoredGatewayState } from "../gateway-store.js";
import { hlcBytes, hlcOf } from "./hlc-bytes.js";
import { migrateLegacyLayout } from "./legacy-layout.js";
import { writeStates } from "./row-state-writes.js";
import { SqlChangeLog } from "./sql-change-log.js";
import { SqlDeltaBuffer } from "./sql-delta-buffer.js";
import type { SqlDriver } from "./sql-driver.js";
import { SqlRowStates } from "./sql-row-states.js";
import { createTables, getState, putState } from "./sql-schema.js";

/** Options of {@link SqlGatewayStore}. */
export interface SqlGatewayStoreOptions {
  /** Row states kept in memory. Defaults to 20,000 (about 10-20 MB). */
  readonly cacheRows?: number;
  /** The wall clock (ms), for the age of unflushed entries found on open. */
  readonly now?: () => number;
}

function failure(message: string, cause?: unknown): LakeSyncError {
  if (cause instanceof LakeSyncError) return cause;
  return new LakeSyncError("STORE_UNAVAILABLE", message, cause === undefined ? {} : { cause });
}

function seqState(sql: SqlDriver, key: string): HLCTimestamp {
  const text = getState(sql, key);
  return text !== undefined && /^\d{1,20}$/.test(text) ? (BigInt(text) as HLCTimestamp) : HLC_ZERO;
}

/**
 * Every group commit is one transaction: the batch of log entries, the row states it changed
 * and the row count. On open nothing is replayed: the gateway reads rows, log and unflushed
 * entries through the parts `load` returns.
 */
export class SqlGatewayStore implements GatewayStore {
  readonly #open: () => Result<SqlDriver, LakeSyncError>;
  readonly #options: SqlGatewayStoreOptions;
  #driver: SqlDriver | undefined;
  #rows: SqlRowStates | undefined;

  /**
   * Over a database (a Durable Object's storage), or a function that opens one (a file):
   * `close` then closes it, and the next `load` opens it again, as a restarted host would.
   */
  constructor(
    sql: SqlDriver | (() => Result<SqlDriver, LakeSyncError>),
    options: SqlGatewayStoreOptions = {},
  ) {
    this.#open = typeof sql === "function" ? sql : () => Ok(sql);
    this.#options = options;
  }

  get #sql(): SqlDriver {
    if (!this.#driver) throw new LakeSyncError("STORE_UNAVAILABLE", "the store is closed");
    return this.#driver;
  }

  async load(): Promise<Result<StoredGatewayState, LakeSyncError>> {
    if (!this.#driver) {
      const opened = this.#open();
      if (!opened.ok) return opened;
      this.#driver = opened.value;
    }
    try {
      const sql = this.#sql;
      createTables(sql);
      const migrated = migrateLegacyLayout(sql);
      if (!migrated.ok) return migrated;
      const meta = new Map<string, string>();
      for (const row of sql.exec("SELECT key, value FROM lakesync_meta"))
        meta.set(String(row.key), String(row.value));
      const flushedThrough = seqState(sql, "flushed-through");
      const horizon = seqState(sql, "horizon");
      const totals = sql.exec(
        "SELECT coalesce(sum(n), 0) AS entries, max(last_seq) AS head FROM lakesync_batches",
      )[0];
      const stored = hlcOf(totals?.head);
      const head = stored !== undefined && stored > horizon ? stored : horizon;
      const log = new SqlChangeLog(sql, { length: Number(totals?.entries ?? 0), horizon, head });
      const rows = new SqlRowStates(
        sql,
        Number(getState(sql, "row-count") ?? 0),
        this.#options.cacheRows,
      );
      this.#rows = rows;
      const buffer = new SqlDeltaBuffer(log, flushedThrough, (this.#options.now ?? Date.now)());
      return Ok({ entries: [], indexed: { rows, log, buffer }, head, flushedThrough, meta });
    } catch (cause) {
      return Err(failure("cannot read the gateway's SQLite store", cause));
    }
  }

  async append(
    entries: readonly LogEntry[],
    changes: readonly RowChange[],
  ): Promise<Result<void, LakeSyncError>> {
    if (entries.length === 0 && changes.length === 0) return Ok(undefined);
    const batch = encodeLogBatch(entries);
    if (!batch.ok) return batch;
    const first = entries[0];
    const last = entries[entries.length - 1];
    try {
      const sql = this.#sql;
      sql.transaction(() => {
        if (first && last)
          sql.exec(
            "INSERT INTO lakesync_batches (seqs, deltas, views, first_seq, last_seq, n) VALUES (?, ?, ?, ?, ?, ?)",
            batch.value.seqs,
            batch.value.deltas,
            batch.value.views ?? null,
            hlcBytes(first.seq),
            hlcBytes(last.seq),
            entries.length,
          );
        writeStates(sql, changes);
        const added = changes.filter((c) => c.isNew).length;
        if (added > 0)
          putState(sql, "row-count", String(Number(getState(sql, "row-count") ?? 0) + added));
      });
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot write the gateway's SQLite store", cause));
    }
  }

  async markFlushed(through: HLCTimestamp): Promise<Result<void, LakeSyncError>> {
    try {
      if (through > seqState(this.#sql, "flushed-through"))
        putState(this.#sql, "flushed-through", through.toString());
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot write the gateway's SQLite store", cause));
    }
  }

  async putMeta(key: string, value: string): Promise<Result<void, LakeSyncError>> {
    try {
      this.#sql.exec(
        "INSERT INTO lakesync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value,
      );
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("cannot write the gateway's SQLite store", cause));
    }
  }

  /** Row states currently cached in memory (for benchmarks and tests). */
  get cachedRows(): number {
    return this.#rows?.cached ?? 0;
  }

  async close(): Promise<void> {
    this.#driver?.close?.();
    this.#driver = undefined;
    this.#rows = undefined;
  }
}
