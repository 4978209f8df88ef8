/**
 * @module store/sql/legacy-layout
 * Bringing older stores into the SQL layout: the Durable Object layout that kept merged rows as
 * delta chunks and replayed everything on open, and any store that replays its log (the Node
 * host's write-ahead file), imported once.
 */
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { LogEntry } from "../../log/log-entry.js";
import type { RowChange } from "../../push/row-overlay.js";
import { RowIndex } from "../../state/row-index.js";
import { chunked, decodeDeltaChunk, decodeLogBatch, encodeLogBatch } from "../batch-codec.js";
import type { StoredGatewayState } from "../gateway-store.js";
import { hlcBytes } from "./hlc-bytes.js";
import { writeStates } from "./row-state-writes.js";
import type { SqlDriver } from "./sql-driver.js";
import { getState, putState } from "./sql-schema.js";

const LAYOUT = "2";

function bytes(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array();
}

function states(index: RowIndex): RowChange[] {
  return [...index.entries()].map(({ table, rowId, state }) => ({
    table,
    rowId,
    state,
    isNew: true,
  }));
}

/**
 * Upgrades a store written by the previous layout (batches without seq bounds, merged rows in
 * `lakesync_rows`, the watermark and horizon among the registry's documents), in one
 * transaction. A store already in this layout is left alone.
 */
export function migrateLegacyLayout(sql: SqlDriver): Result<void, LakeSyncError> {
  if (getState(sql, "layout") === LAYOUT) return Ok(undefined);
  try {
    sql.transaction(() => {
      for (const key of ["flushed-through", "horizon"]) {
        const value = sql.exec("SELECT value FROM lakesync_meta WHERE key = ?", key)[0]?.value;
        if (typeof value === "string") {
          putState(sql, key, value);
          sql.exec("DELETE FROM lakesync_meta WHERE key = ?", key);
        }
      }
      const index = new RowIndex();
      const legacyRows = sql.exec(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'lakesync_rows'",
      );
      if (legacyRows.length > 0) {
        for (const row of sql.exec("SELECT deltas FROM lakesync_rows ORDER BY id")) {
          const chunk = decodeDeltaChunk(bytes(row.deltas));
          if (!chunk.ok) throw chunk.error;
          for (const delta of chunk.value) index.apply(delta);
        }
        sql.exec("DROP TABLE lakesync_rows");
      }
      for (const row of sql.exec(
        "SELECT id, seqs, deltas, views FROM lakesync_batches ORDER BY id",
      )) {
        const batch = decodeLogBatch(
          bytes(row.seqs),
          bytes(row.deltas),
          row.views instanceof Uint8Array ? row.views : undefined,
        );
        if (!batch.ok) throw batch.error;
        for (const entry of batch.value) index.apply(entry.delta);
        const first = batch.value[0];
        const last = batch.value[batch.value.length - 1];
        if (first && last)
          sql.exec(
            "UPDATE lakesync_batches SET first_seq = ?, last_seq = ?, n = ? WHERE id = ?",
            hlcBytes(first.seq),
            hlcBytes(last.seq),
            batch.value.length,
            Number(row.id),
          );
        else sql.exec("DELETE FROM lakesync_batches WHERE id = ?", Number(row.id));
      }
      writeStates(sql, states(index));
      putState(sql, "row-count", String(index.size));
      putState(sql, "layout", LAYOUT);
    });
    return Ok(undefined);
  } catch (cause) {
    return Err(
      cause instanceof LakeSyncError
        ? cause
        : new LakeSyncError("STORE_UNAVAILABLE", "cannot migrate the gateway's store", { cause }),
    );
  }
}

/**
 * Writes what a replaying store loaded (its entries, merged rows, documents, watermark and
 * horizon) into an empty SQL store, in one transaction: how the Node host moves its
 * write-ahead file into SQLite once.
 */
export function importReplayed(
  sql: SqlDriver,
  stored: StoredGatewayState,
): Result<void, LakeSyncError> {
  try {
    const index = new RowIndex();
    for (const delta of stored.rows ?? []) index.apply(delta);
    for (const entry of stored.entries) index.apply(entry.delta);
    const batches: { entries: LogEntry[]; encoded: ReturnType<typeof encodeLogBatch> }[] = [];
    for (const entries of chunked(stored.entries))
      batches.push({ entries, encoded: encodeLogBatch(entries) });
    sql.transaction(() => {
      for (const { entries, encoded } of batches) {
        if (!encoded.ok) throw encoded.error;
        const first = entries[0] as LogEntry;
        const last = entries[entries.length - 1] as LogEntry;
        sql.exec(
          "INSERT INTO lakesync_batches (seqs, deltas, views, first_seq, last_seq, n) VALUES (?, ?, ?, ?, ?, ?)",
          encoded.value.seqs,
          encoded.value.deltas,
          encoded.value.views ?? null,
          hlcBytes(first.seq),
          hlcBytes(last.seq),
          entries.length,
        );
      }
      writeStates(sql, states(index));
      for (const [key, value] of stored.meta)
        sql.exec(
          "INSERT INTO lakesync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          key,
          value,
        );
      putState(sql, "row-count", String(index.size));
      putState(sql, "flushed-through", stored.flushedThrough.toString());
      if (stored.horizon !== undefined) putState(sql, "horizon", stored.horizon.toString());
      putState(sql, "layout", LAYOUT);
    });
    return Ok(undefined);
  } catch (cause) {
    return Err(
      cause instanceof LakeSyncError
        ? cause
        : new LakeSyncError("STORE_UNAVAILABLE", "cannot import into the gateway's store", {
            cause,
          }),
    );
  }
}
