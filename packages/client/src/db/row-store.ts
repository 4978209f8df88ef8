/**
 * @module db/row-store
 * Applying deltas to local tables through per-row merge state, so local writes and synced
 * deltas converge exactly as on the gateway (column-level last-writer-wins).
 */
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  Err,
  materialiseRow,
  Ok,
  type Result,
  type Row,
  type RowDelta,
  type RowState,
  SchemaError,
  setOwn,
  type TableSchema,
} from "@lakesync/core";
import type { SqlValue } from "sql.js";
import { LocalDBError } from "../errors.js";
import { fromSqlite, toSqlite } from "./column-codec.js";
import type { LocalDB } from "./local-db.js";
import { decodeRowState, encodeRowState } from "./row-state-codec.js";
import { quoteIdentifier } from "./sql-identifier.js";

/** Checks that a delta's values fit its table's schema, before it is queued or applied. */
export function checkDelta(
  schema: TableSchema | undefined,
  delta: RowDelta,
): Result<void, SchemaError> {
  if (!schema) return Err(new SchemaError(`table "${delta.table}" is not registered`));
  for (const { column, value } of delta.columns) {
    if (column === "id") continue;
    const def = schema.columns.find((c) => c.name === column);
    if (!def) return Err(new SchemaError(`${delta.table}.${column} is not in the schema`));
    const encoded = toSqlite(def.type, value, `${delta.table}.${column}`);
    if (!encoded.ok) return encoded;
  }
  return Ok(undefined);
}

function loadState(db: LocalDB, table: string, rowId: string): Result<RowState, LocalDBError> {
  const rows = db.query<{ state: string }>(
    "SELECT state FROM _lakesync_rows WHERE tbl = ? AND row_id = ?",
    [table, rowId],
  );
  if (!rows.ok) return rows;
  const text = rows.value[0]?.state;
  if (text === undefined) return Ok(EMPTY_ROW_STATE);
  const state = decodeRowState(text);
  return state ? Ok(state) : Err(new LocalDBError(`corrupt merge state for ${table}/${rowId}`));
}

function writeRow(
  db: LocalDB,
  schema: TableSchema,
  rowId: string,
  row: Row | null,
): Result<void, LocalDBError> {
  const table = quoteIdentifier(schema.table);
  if (row === null) return db.exec(`DELETE FROM ${table} WHERE id = ?`, [rowId]);
  const columns = schema.columns.filter((c) => c.name !== "id");
  const values: SqlValue[] = [rowId];
  for (const c of columns) {
    const value = Object.hasOwn(row, c.name) ? (row[c.name] ?? null) : null;
    const encoded = toSqlite(c.type, value, c.name);
    values.push(encoded.ok ? encoded.value : null);
  }
  const names = ["id", ...columns.map((c) => quoteIdentifier(c.name))];
  const updates = columns.map(
    (c) => `${quoteIdentifier(c.name)} = excluded.${quoteIdentifier(c.name)}`,
  );
  const upsert = updates.length > 0 ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
  return db.exec(
    `INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")}) ON CONFLICT(id) ${upsert}`,
    values,
  );
}

/**
 * Applies deltas (local or remote) in one transaction: each row's merge state absorbs the delta
 * and the table row is rewritten from it. Idempotent and order-independent. Deltas for tables
 * that are not registered are an `Err(SchemaError)` and nothing is applied.
 * Returns how many rows changed.
 */
export function applyDeltas(
  db: LocalDB,
  deltas: readonly RowDelta[],
): Result<number, LocalDBError | SchemaError> {
  return db.transaction<number>(() => {
    let changed = 0;
    for (const delta of deltas) {
      const schema = db.schemaOf(delta.table);
      if (!schema) return Err(new SchemaError(`table "${delta.table}" is not registered`));
      const state = loadState(db, delta.table, delta.rowId);
      if (!state.ok) return state;
      const next = applyToRowState(state.value, delta);
      if (next === state.value) continue;
      const saved = db.exec(
        "INSERT INTO _lakesync_rows (tbl, row_id, state) VALUES (?, ?, ?) ON CONFLICT(tbl, row_id) DO UPDATE SET state = excluded.state",
        [delta.table, delta.rowId, encodeRowState(next)],
      );
      if (!saved.ok) return saved;
      const written = writeRow(db, schema, delta.rowId, materialiseRow(next));
      if (!written.ok) return written;
      changed++;
    }
    return Ok(changed);
  });
}

/** Rewrites every row of a table from its merge state (after the schema gained columns). */
export function rematerialiseTable(db: LocalDB, schema: TableSchema): Result<void, LocalDBError> {
  const rows = db.query<{ row_id: string; state: string }>(
    "SELECT row_id, state FROM _lakesync_rows WHERE tbl = ?",
    [schema.table],
  );
  if (!rows.ok) return rows;
  for (const { row_id, state } of rows.value) {
    const decoded = decodeRowState(state);
    if (!decoded) return Err(new LocalDBError(`corrupt merge state for ${schema.table}/${row_id}`));
    const written = writeRow(db, schema, row_id, materialiseRow(decoded));
    if (!written.ok) return written;
  }
  return Ok(undefined);
}

/** Reads one row with its values decoded to LakeSync types, or `null` when it does not exist. */
export function readRow(
  db: LocalDB,
  table: string,
  rowId: string,
): Result<Row | null, LocalDBError | SchemaError> {
  const schema = db.schemaOf(table);
  if (!schema) return Err(new SchemaError(`table "${table}" is not registered`));
  const rows = db.query<Record<string, SqlValue>>(
    `SELECT * FROM ${quoteIdentifier(table)} WHERE id = ?`,
    [rowId],
  );
  if (!rows.ok) return rows;
  const raw = rows.value[0];
  if (!raw) return Ok(null);
  const row: Record<string, Row[string]> = { id: rowId };
  for (const c of schema.columns) {
    if (c.name !== "id" && Object.hasOwn(raw, c.name))
      setOwn(row, c.name, fromSqlite(c.type, raw[c.name] ?? null));
  }
  return Ok(row);
}
