/**
 * @module db/migrate-row-states
 * Converting a database written with JSON merge state to stamp tables when it is opened: every
 * row keeps its merge state exactly. The old format is recognised by its `_lakesync_rows` table,
 * which the migration drops.
 */
import { Err, materialiseRow, Ok, type Result, type Row, type TableSchema } from "@lakesync/core";
import { LocalDBError } from "../errors.js";
import { toSqlite } from "./column-codec.js";
import { decodeLegacyRowState } from "./legacy-row-state.js";
import type { LocalDB } from "./local-db.js";
import { saveRowState } from "./row-state-store.js";
import { writeRow } from "./row-store.js";
import { stampKey } from "./stamp-key.js";
import { ensureStampTable, type StampLayout, stampLayout } from "./stamp-table.js";

const PAGE = 1000;

interface LegacyRow {
  readonly seq: number;
  readonly tbl: string;
  readonly row_id: string;
  readonly state: string;
}

/**
 * Makes the table row what its merge state says, as format 1 kept it, writing only when it is not
 * (the app wrote to the table directly): from now on the row is the only copy of its values.
 */
function restoreRow(
  db: LocalDB,
  layout: StampLayout,
  rowId: string,
  row: Row | null,
): Result<void, LocalDBError> {
  const current = db.queryValues(layout.loadRowSql, [rowId]);
  if (!current.ok) return current;
  const stored = current.value[0];
  const same =
    row === null
      ? stored === undefined
      : stored !== undefined &&
        layout.columns.every((c, i) => {
          const value = Object.hasOwn(row, c.name) ? (row[c.name] ?? null) : null;
          const encoded = toSqlite(c.type, value, c.name);
          return (encoded.ok ? encoded.value : null) === (stored[i] ?? null);
        });
  return same ? Ok(undefined) : writeRow(db, layout.schema, rowId, row);
}

/**
 * Migrates a format-1 database in one transaction and drops `_lakesync_rows`; does nothing on a
 * current one. A table row that differs from its merge state is rewritten from it, as the old
 * format would have done on the row's next write. Returns how many rows were migrated; `Err(LocalDBError)` (and nothing changed)
 * when a stored state cannot be read.
 */
export function migrateRowStates(db: LocalDB): Result<number, LocalDBError> {
  const legacy = db.query<{ n: number }>(
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_lakesync_rows'",
  );
  if (!legacy.ok) return legacy;
  if (legacy.value[0]?.n !== 1) return Ok(0);
  return db.transaction<number>(() => {
    const layouts = new Map<string, StampLayout>();
    const layoutFor = (table: string): Result<StampLayout, LocalDBError> => {
      const known = layouts.get(table);
      if (known) return Ok(known);
      // States of a table that is not registered keep every cell in `extra` until it is.
      const schema: TableSchema = db.schemaOf(table) ?? { table, columns: [] };
      const ensured = ensureStampTable(db, schema);
      if (!ensured.ok) return ensured;
      const layout = stampLayout(schema);
      layouts.set(table, layout);
      return Ok(layout);
    };
    for (const schema of db.schemas()) {
      const ensured = layoutFor(schema.table);
      if (!ensured.ok) return ensured;
    }
    let migrated = 0;
    let after = -1;
    for (;;) {
      const page = db.query<LegacyRow>(
        "SELECT rowid AS seq, tbl, row_id, state FROM _lakesync_rows WHERE rowid > ? ORDER BY rowid LIMIT ?",
        [after, PAGE],
      );
      if (!page.ok) return page;
      for (const row of page.value) {
        const state = decodeLegacyRowState(row.state);
        if (!state)
          return Err(
            new LocalDBError(`cannot migrate the merge state of ${row.tbl}/${row.row_id}`),
          );
        const layout = layoutFor(row.tbl);
        if (!layout.ok) return layout;
        const saved = saveRowState(db, layout.value, stampKey(row.row_id), state);
        if (!saved.ok) return saved;
        const schema = db.schemaOf(row.tbl);
        if (schema) {
          const written = restoreRow(db, layout.value, row.row_id, materialiseRow(state));
          if (!written.ok) return written;
        }
        migrated++;
        after = row.seq;
      }
      if (page.value.length < PAGE) break;
    }
    const dropped = db.exec("DROP TABLE _lakesync_rows");
    return dropped.ok ? Ok(migrated) : dropped;
  });
}
