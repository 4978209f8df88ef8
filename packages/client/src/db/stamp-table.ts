/**
 * @module db/stamp-table
 * The table that holds a synced table's merge stamps, one row per row ever written: per column
 * the write that set it, plus the row's delete stamp. Values are not repeated: they are the
 * synced table's own row.
 *
 * ```sql
 * CREATE TABLE "_lakesync_stamps:todos" (
 *   key PRIMARY KEY NOT NULL,  -- the row id, a UUID's 16 bytes, or 17 of SHA-256 (stamp-key.ts)
 *   hlc INTEGER,               -- the newest HLC among the columns below (as signed 64-bit)
 *   client INTEGER,            -- _lakesync_clients.ref of that write
 *   deleted_hlc INTEGER,       -- the row's latest DELETE, if any
 *   deleted_client INTEGER,
 *   extra TEXT,                -- JSON: the cells the table row cannot give back (rare)
 *   "title:behind" INTEGER,    -- hlc minus this column's HLC; NULL when never written
 *   "title:client" INTEGER,    -- this column's writer when it is not `client`
 *   ...                        -- two slots per column of the schema
 * ) WITHOUT ROWID
 * ```
 */
import { type ColumnType, Ok, type Result, type TableSchema } from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import type { LocalDB } from "./local-db.js";
import { quoteIdentifier } from "./sql-identifier.js";

/** A column of a synced table that has slots in its stamp table. */
export interface SlotColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** The prepared shape of one table's stamps: slot columns in order, and the SQL that uses them. */
export interface StampLayout {
  /** The schema the layout was built from (compared by identity to detect schema changes). */
  readonly schema: TableSchema;
  readonly columns: readonly SlotColumn[];
  /** Index of each slot column by name. */
  readonly index: ReadonlyMap<string, number>;
  /**
   * Reads one row of stamps by key (`?1`): {@link LOAD_FIXED} values, then two per slot column;
   * when {@link inlineRow}, then whether the table row exists and its values (row id `?2`).
   */
  readonly loadSql: string;
  /** True when {@link loadSql} also reads the table row (narrow tables). */
  readonly inlineRow: boolean;
  /** Reads the slot columns' values of the table row by id. */
  readonly loadRowSql: string;
  /** Writes one row of stamps: key, the fixed columns, then two slots per column. */
  readonly saveSql: string;
  /** Removes one row of stamps by key. */
  readonly deleteSql: string;
  /**
   * Inserts `rows` rows of stamps, each bound as {@link saveSql} binds one (or as `tuple` says:
   * SQL for the same columns in the same order), leaving any key that already has stamps
   * untouched (`changes()` then counts fewer rows).
   */
  insertManySql(rows: number, tuple?: string): string;
}

/** How many values of a loaded stamps row come before the slots. */
export const LOAD_FIXED = 5;

/**
 * Up to this many columns, the table row is read by scalar subqueries of the stamps query: in
 * sql.js each statement run costs more than a few lookups inside SQLite (a LEFT JOIN of the two
 * lookups costs more than both statements). Past it, the subqueries cost more than a statement.
 */
const INLINE_ROW_COLUMNS = 12;

/** The stamp table of a synced table (its name is reserved: user tables cannot start `_lakesync`). */
export function stampTableName(table: string): string {
  return `_lakesync_stamps:${table}`;
}

const behind = (column: string) => `${column}:behind`;
const writer = (column: string) => `${column}:client`;

/** The columns of a schema that get slots: every column except the `id` key. */
export function slotColumns(schema: TableSchema): SlotColumn[] {
  return schema.columns.filter((c) => c.name !== "id").map((c) => ({ name: c.name, type: c.type }));
}

/**
 * Creates the stamp table of a schema, or adds the slots of columns a grown schema has. Run in
 * the same transaction as the change to the synced table.
 */
export function ensureStampTable(db: LocalDB, schema: TableSchema): Result<void, LocalDBError> {
  const name = stampTableName(schema.table);
  const created = db.exec(
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(name)} (key PRIMARY KEY NOT NULL, hlc INTEGER, client INTEGER, deleted_hlc INTEGER, deleted_client INTEGER, extra TEXT) WITHOUT ROWID`,
  );
  if (!created.ok) return created;
  const existing = db.query<{ name: string }>("SELECT name FROM pragma_table_info(?)", [name]);
  if (!existing.ok) return existing;
  const have = new Set(existing.value.map((c) => c.name.toLowerCase()));
  for (const column of slotColumns(schema)) {
    for (const slot of [behind(column.name), writer(column.name)]) {
      if (have.has(slot.toLowerCase())) continue;
      const added = db.exec(
        `ALTER TABLE ${quoteIdentifier(name)} ADD COLUMN ${quoteIdentifier(slot)} INTEGER`,
      );
      if (!added.ok) return added;
    }
  }
  return Ok(undefined);
}

/** Builds the layout (and its SQL) of a registered schema. */
export function stampLayout(schema: TableSchema): StampLayout {
  const columns = slotColumns(schema);
  const stamps = quoteIdentifier(stampTableName(schema.table));
  const slots = columns.flatMap((c) => [
    quoteIdentifier(behind(c.name)),
    quoteIdentifier(writer(c.name)),
  ]);
  // HLCs are read as text: sql.js reads INTEGERs as doubles, exact only up to 2^53.
  const loadStamps = [
    "CAST(hlc AS TEXT)",
    "client",
    "CAST(deleted_hlc AS TEXT)",
    "deleted_client",
    "extra",
    ...columns.flatMap((c) => [
      `CAST(${quoteIdentifier(behind(c.name))} AS TEXT)`,
      quoteIdentifier(writer(c.name)),
    ]),
  ];
  const table = quoteIdentifier(schema.table);
  const inlineRow = columns.length <= INLINE_ROW_COLUMNS;
  const inline = inlineRow
    ? [
        `EXISTS (SELECT 1 FROM ${table} WHERE id = ?2)`,
        ...columns.map((c) => `(SELECT ${quoteIdentifier(c.name)} FROM ${table} WHERE id = ?2)`),
      ]
    : [];
  const loadRow = columns.length > 0 ? columns.map((c) => quoteIdentifier(c.name)) : ["1"];
  const saved = ["key", "hlc", "client", "deleted_hlc", "deleted_client", "extra", ...slots];
  const tuple = `(${saved.map(() => "?").join(", ")})`;
  return {
    schema,
    columns,
    index: new Map(columns.map((c, i) => [c.name, i])),
    loadSql: `SELECT ${[...loadStamps, ...inline].join(", ")} FROM ${stamps} WHERE key = ?1`,
    inlineRow,
    loadRowSql: `SELECT ${loadRow.join(", ")} FROM ${table} WHERE id = ?`,
    saveSql: `INSERT OR REPLACE INTO ${stamps} (${saved.join(", ")}) VALUES (${saved.map(() => "?").join(", ")})`,
    deleteSql: `DELETE FROM ${stamps} WHERE key = ?`,
    insertManySql: (rows, one = tuple) =>
      `INSERT INTO ${stamps} (${saved.join(", ")}) VALUES ${Array.from({ length: rows }, () => one).join(", ")} ON CONFLICT(key) DO NOTHING`,
  };
}
