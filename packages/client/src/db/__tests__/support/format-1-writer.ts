/**
 * The client's storage as it was before issue 21 (format 1: one JSON merge-state document per row
 * in `_lakesync_rows`), copied from `LocalDB.open`, `registerSchema`, `row-state-codec.ts` and
 * `applyDeltas` of that version and frozen here, so migration tests run the old code to build
 * their fixtures. Do not "fix" it: it must keep writing what old clients wrote.
 */
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  setOwn,
  type TableSchema,
} from "@lakesync/core";
import initSqlJs, { type Database, type SqlValue } from "sql.js";
import { createTableSql, toSqlite } from "../../column-codec.js";
import { decodeLegacyRowState } from "../../legacy-row-state.js";
import { quoteIdentifier } from "../../sql-identifier.js";

const META_DDL = [
  "CREATE TABLE IF NOT EXISTS _lakesync_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS _lakesync_rows (tbl TEXT NOT NULL, row_id TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (tbl, row_id))",
  "CREATE TABLE IF NOT EXISTS _lakesync_schemas (tbl TEXT PRIMARY KEY NOT NULL, schema TEXT NOT NULL)",
];

function encodeRowState(state: RowState): string {
  const c: Record<string, { v: unknown; hlc: string; clientId: string }> = {};
  for (const [name, cell] of Object.entries(state.columns)) {
    setOwn(c, name, { v: cell.value, hlc: cell.hlc.toString(), clientId: cell.clientId });
  }
  const stored = state.deleted
    ? { c, d: { hlc: state.deleted.hlc.toString(), clientId: state.deleted.clientId } }
    : { c };
  return JSON.stringify(stored);
}

function writeRow(db: Database, schema: TableSchema, rowId: string, row: Row | null): void {
  const table = quoteIdentifier(schema.table);
  if (row === null) {
    db.run(`DELETE FROM ${table} WHERE id = ?`, [rowId]);
    return;
  }
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
  db.run(
    `INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")}) ON CONFLICT(id) ${upsert}`,
    values,
  );
}

/** A format-1 database: schemas registered, deltas applied as the old `applyDeltas` did. */
export class Format1Database {
  readonly #db: Database;
  readonly #schemas = new Map<string, TableSchema>();

  private constructor(db: Database) {
    this.#db = db;
  }

  static async create(): Promise<Format1Database> {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    for (const ddl of META_DDL) db.run(ddl);
    return new Format1Database(db);
  }

  /** Registers a new table (the old `registerSchema` for a table seen for the first time). */
  register(schema: TableSchema): void {
    this.#db.run(createTableSql(schema));
    this.#db.run(
      "INSERT INTO _lakesync_schemas (tbl, schema) VALUES (?, ?) ON CONFLICT(tbl) DO UPDATE SET schema = excluded.schema",
      [schema.table, JSON.stringify(schema)],
    );
    this.#schemas.set(schema.table, schema);
  }

  /** Applies deltas through the JSON merge state, one transaction per call. */
  apply(deltas: readonly RowDelta[]): void {
    this.#db.run("BEGIN");
    for (const delta of deltas) {
      const schema = this.#schemas.get(delta.table);
      if (!schema) throw new Error(`table "${delta.table}" is not registered`);
      const before = this.state(delta.table, delta.rowId);
      const next = applyToRowState(before, delta);
      if (next === before) continue;
      this.#db.run(
        "INSERT INTO _lakesync_rows (tbl, row_id, state) VALUES (?, ?, ?) ON CONFLICT(tbl, row_id) DO UPDATE SET state = excluded.state",
        [delta.table, delta.rowId, encodeRowState(next)],
      );
      writeRow(this.#db, schema, delta.rowId, materialiseRow(next));
    }
    this.#db.run("COMMIT");
  }

  /** The merge state the old format holds for a row. */
  state(table: string, rowId: string): RowState {
    const found = this.#db.exec("SELECT state FROM _lakesync_rows WHERE tbl = ? AND row_id = ?", [
      table,
      rowId,
    ]);
    const text = found[0]?.values[0]?.[0];
    if (typeof text !== "string") return EMPTY_ROW_STATE;
    const state = decodeLegacyRowState(text);
    if (!state) throw new Error(`corrupt state for ${table}/${rowId}`);
    return state;
  }

  /** Every (table, row id) that has a merge state. */
  keys(): { table: string; rowId: string }[] {
    const rows = this.#db.exec("SELECT tbl, row_id FROM _lakesync_rows ORDER BY tbl, row_id");
    return (rows[0]?.values ?? []).map(([table, rowId]) => ({
      table: String(table),
      rowId: String(rowId),
    }));
  }

  /** Runs raw SQL (to corrupt a fixture on purpose). */
  run(sql: string): void {
    this.#db.run(sql);
  }

  /** The database file, as `LocalDB` saves it in a snapshot. */
  export(): Uint8Array {
    return this.#db.export();
  }
}
