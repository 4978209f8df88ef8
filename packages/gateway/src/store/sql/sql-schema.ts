/**
 * @module store/sql/sql-schema
 * The SQL store's tables, created (and older layouts brought up to date) on open, and its small
 * internal state values.
 */
import type { SqlDriver } from "./sql-driver.js";

/**
 * `lakesync_batches`: one row per group commit (seqs, protobuf deltas, row views; the first and
 * last seq as 8-byte blobs and the entry count, for range reads and trimming).
 * `lakesync_row_states`: each row's merged state (JSON). `lakesync_meta`: the registry's
 * documents (schemas, sync rules, client bindings). `lakesync_state`: the store's own values
 * (flush watermark, horizon, row count, layout version).
 */
const TABLES = [
  "CREATE TABLE IF NOT EXISTS lakesync_batches (id INTEGER PRIMARY KEY AUTOINCREMENT, seqs BLOB NOT NULL, deltas BLOB NOT NULL, views BLOB, first_seq BLOB, last_seq BLOB, n INTEGER)",
  "CREATE TABLE IF NOT EXISTS lakesync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS lakesync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS lakesync_row_states (tbl TEXT NOT NULL, row_id TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID",
];

/** Creates the tables, adding the columns that older layouts of `lakesync_batches` lack. */
export function createTables(sql: SqlDriver): void {
  for (const statement of TABLES) sql.exec(statement);
  const columns = new Set(sql.exec("PRAGMA table_info(lakesync_batches)").map((c) => c.name));
  for (const [name, type] of [
    ["views", "BLOB"],
    ["first_seq", "BLOB"],
    ["last_seq", "BLOB"],
    ["n", "INTEGER"],
  ] as const)
    if (!columns.has(name)) sql.exec(`ALTER TABLE lakesync_batches ADD COLUMN ${name} ${type}`);
  sql.exec("CREATE INDEX IF NOT EXISTS lakesync_batches_last_seq ON lakesync_batches (last_seq)");
}

/** One of the store's own values. */
export function getState(sql: SqlDriver, key: string): string | undefined {
  const value = sql.exec("SELECT value FROM lakesync_state WHERE key = ?", key)[0]?.value;
  return typeof value === "string" ? value : undefined;
}

/** Sets one of the store's own values. */
export function putState(sql: SqlDriver, key: string, value: string): void {
  sql.exec(
    "INSERT INTO lakesync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    key,
    value,
  );
}
