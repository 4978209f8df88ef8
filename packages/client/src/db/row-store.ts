/**
 * @module db/row-store
 * Applying deltas to local tables through per-row merge state, so local writes and synced
 * deltas converge exactly as on the gateway (column-level last-writer-wins). The merge is core's
 * `applyToRowState`; the state is kept as the table row plus its stamps (row-state-store.ts).
 */
import {
  applyToRowState,
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
import type { LocalDBError } from "../errors.js";
import { fromSqlite, toSqlite } from "./column-codec.js";
import type { LocalDB } from "./local-db.js";
import { deleteRowState, layoutOf, loadRowState, saveRowState } from "./row-state-store.js";
import type { SqlValue } from "./sql-engine.js";
import { quoteIdentifier } from "./sql-identifier.js";
import { stampKey } from "./stamp-key.js";

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

/**
 * The values {@link RowSql.upsert} binds for a table row as `materialiseRow` gives it: the id,
 * then every column of the schema but `id`. Values that do not fit their column's type are bound
 * as NULL (their merge state keeps them).
 */
export function rowParams(schema: TableSchema, rowId: string, row: Row): SqlValue[] {
  const values: SqlValue[] = [rowId];
  for (const c of rowSql(schema).columns) {
    const value = Object.hasOwn(row, c.name) ? (row[c.name] ?? null) : null;
    const encoded = toSqlite(c.type, value, c.name);
    values.push(encoded.ok ? encoded.value : null);
  }
  return values;
}

/**
 * Writes a table row as `materialiseRow` gives it (`null` deletes it). Values that do not fit
 * their column's type are stored as NULL (their merge state keeps them).
 */
export function writeRow(
  db: LocalDB,
  schema: TableSchema,
  rowId: string,
  row: Row | null,
): Result<void, LocalDBError> {
  const sql = rowSql(schema);
  if (row === null) return db.exec(sql.remove, [rowId]);
  return db.exec(sql.upsert, rowParams(schema, rowId, row));
}

/** The statements that write a schema's table rows. */
export interface RowSql {
  readonly columns: TableSchema["columns"];
  /** Inserts or replaces one row, bound with {@link rowParams}. */
  readonly upsert: string;
  /** Inserts or replaces `rows` rows, each bound with {@link rowParams}. */
  upsertMany(rows: number): string;
  /** Removes one row by id. */
  readonly remove: string;
}

/** The statements that write a schema's rows, built once per schema (they run for every delta). */
const rowStatements = new WeakMap<TableSchema, RowSql>();

/** The statements that write a schema's table rows (cached per schema). */
export function rowSql(schema: TableSchema): RowSql {
  const cached = rowStatements.get(schema);
  if (cached) return cached;
  const table = quoteIdentifier(schema.table);
  const columns = schema.columns.filter((c) => c.name !== "id");
  const names = ["id", ...columns.map((c) => quoteIdentifier(c.name))];
  const updates = columns.map(
    (c) => `${quoteIdentifier(c.name)} = excluded.${quoteIdentifier(c.name)}`,
  );
  const upsert = updates.length > 0 ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
  const into = `INSERT INTO ${table} (${names.join(", ")}) VALUES`;
  const tuple = `(${names.map(() => "?").join(", ")})`;
  const sql: RowSql = {
    columns,
    upsert: `${into} ${tuple} ON CONFLICT(id) ${upsert}`,
    upsertMany: (rows) =>
      `${into} ${Array.from({ length: rows }, () => tuple).join(", ")} ON CONFLICT(id) ${upsert}`,
    remove: `DELETE FROM ${table} WHERE id = ?`,
  };
  rowStatements.set(schema, sql);
  return sql;
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
      const layout = layoutOf(db, delta.table);
      if (!layout.ok) return layout;
      const key = stampKey(delta.rowId);
      const state = loadRowState(db, layout.value, key, delta.rowId);
      if (!state.ok) return state;
      const next = applyToRowState(state.value, delta);
      if (next === state.value) continue;
      const written = writeRow(db, layout.value.schema, delta.rowId, materialiseRow(next));
      if (!written.ok) return written;
      const saved = saveRowState(db, layout.value, key, next);
      if (!saved.ok) return saved;
      changed++;
    }
    return Ok(changed);
  });
}

/**
 * Rewrites every row of a table from its merge state after the schema gained columns: values
 * synced for those columns before they were registered move from the stamps into the row.
 * Rows hidden by a DELETE have no table row and stay as they are.
 */
export function rematerialiseTable(
  db: LocalDB,
  schema: TableSchema,
): Result<void, LocalDBError | SchemaError> {
  const layout = layoutOf(db, schema.table);
  if (!layout.ok) return layout;
  const ids = db.query<{ id: string }>(`SELECT id FROM ${quoteIdentifier(schema.table)}`);
  if (!ids.ok) return ids;
  for (const { id } of ids.value) {
    const key = stampKey(id);
    const state = loadRowState(db, layout.value, key, id);
    if (!state.ok) return state;
    const written = writeRow(db, schema, id, materialiseRow(state.value));
    if (!written.ok) return written;
    const saved = saveRowState(db, layout.value, key, state.value);
    if (!saved.ok) return saved;
  }
  return Ok(undefined);
}

/** The merge state of one row: empty when nothing was ever written to it. */
export function readRowState(
  db: LocalDB,
  table: string,
  rowId: string,
): Result<RowState, LocalDBError | SchemaError> {
  const layout = layoutOf(db, table);
  if (!layout.ok) return layout;
  return loadRowState(db, layout.value, stampKey(rowId), rowId);
}

/**
 * Removes a row and its merge state, as if it had never been synced (a row that left the
 * client's sync rules). Unlike a DELETE it leaves no tombstone: a later write recreates the row.
 */
export function evictRow(
  db: LocalDB,
  table: string,
  rowId: string,
): Result<void, LocalDBError | SchemaError> {
  const layout = layoutOf(db, table);
  if (!layout.ok) return layout;
  return db.transaction<void>(() => {
    const removed = db.exec(`DELETE FROM ${quoteIdentifier(table)} WHERE id = ?`, [rowId]);
    if (!removed.ok) return removed;
    return deleteRowState(db, layout.value, stampKey(rowId));
  });
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
