/**
 * @module db/row-state-store
 * Reading and writing a row's merge state: the stamp table's row, plus the synced table's row
 * when a column's value lives there, put together by row-state-codec.ts.
 */
import {
  type ColumnValue,
  EMPTY_ROW_STATE,
  Err,
  Ok,
  type Result,
  type RowState,
  SchemaError,
} from "@lakesync/core";
import { LocalDBError } from "../errors.js";
import { clientIdOf, clientRef } from "./client-refs.js";
import { fromSqlite } from "./column-codec.js";
import type { LocalDB } from "./local-db.js";
import { decodeRowStamps, encodeRowStamps, type StoredSlot } from "./row-state-codec.js";
import type { SqlValue } from "./sql-engine.js";
import { LOAD_FIXED, type StampLayout, stampLayout } from "./stamp-table.js";

const layouts = new WeakMap<LocalDB, Map<string, StampLayout>>();

/** The stamp layout of a registered table (rebuilt when its schema changes). */
export function layoutOf(db: LocalDB, table: string): Result<StampLayout, SchemaError> {
  const schema = db.schemaOf(table);
  if (!schema) return Err(new SchemaError(`table "${table}" is not registered`));
  let byTable = layouts.get(db);
  if (!byTable) {
    byTable = new Map();
    layouts.set(db, byTable);
  }
  const cached = byTable.get(table);
  if (cached?.schema === schema) return Ok(cached);
  const layout = stampLayout(schema);
  byTable.set(table, layout);
  return Ok(layout);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An unsigned 64-bit value as a bindable SQLite INTEGER: stored as its signed two's-complement
 * image (SQLite integers are signed), bound as a number when exact and as decimal text otherwise
 * (INTEGER affinity turns the text into the integer; sql.js does the same with a bigint).
 */
export function sqlInteger(value: bigint): SqlValue {
  if (value === 0n) return 0;
  const signed = BigInt.asIntN(64, value);
  return signed <= MAX_SAFE && signed >= -MAX_SAFE ? Number(signed) : signed.toString();
}

/** Reads back what {@link sqlInteger} stored (selected as text); `undefined` if malformed. */
function u64Of(value: SqlValue | undefined): bigint | undefined {
  if (typeof value === "string" && /^-?\d{1,20}$/.test(value))
    return BigInt.asUintN(64, BigInt(value));
  if (typeof value === "number" && Number.isSafeInteger(value))
    return BigInt.asUintN(64, BigInt(value));
  return undefined;
}

function refOf(value: SqlValue | undefined): number | null | undefined {
  if (value === null) return null;
  return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
}

const corrupt = (table: string, why: string) =>
  Err(new LocalDBError(`corrupt merge stamps in ${table}: ${why}`));

/**
 * The merge state of one row (empty when it was never written). `key` is `stampKey(rowId)`.
 * `Err(LocalDBError)` when the stored stamps are corrupt or the SQL fails.
 */
export function loadRowState(
  db: LocalDB,
  layout: StampLayout,
  key: string | Uint8Array,
  rowId: string,
): Result<RowState, LocalDBError> {
  const rows = db.queryValues(layout.loadSql, layout.inlineRow ? [key, rowId] : [key]);
  if (!rows.ok) return rows;
  const row = rows.value[0];
  if (!row) return Ok(EMPTY_ROW_STATE);
  const table = layout.schema.table;
  const hlc = row[0] === null ? null : u64Of(row[0]);
  const client = refOf(row[1]);
  const deletedHlc = row[2] === null ? null : u64Of(row[2]);
  const deletedClient = refOf(row[3]);
  const extra = row[4] ?? null;
  if (hlc === undefined || deletedHlc === undefined) return corrupt(table, "HLC is not an integer");
  if (
    client === undefined ||
    deletedClient === undefined ||
    !(extra === null || typeof extra === "string")
  )
    return corrupt(table, "malformed stamps row");
  const slots: (StoredSlot | null)[] = [];
  let slotted = false;
  for (let at = 0; at < layout.columns.length; at++) {
    const rawBehind = row[LOAD_FIXED + 2 * at];
    if (rawBehind === null) {
      slots.push(null);
      continue;
    }
    const behind = u64Of(rawBehind);
    const slotClient = refOf(row[LOAD_FIXED + 2 * at + 1]);
    if (behind === undefined || slotClient === undefined) return corrupt(table, "malformed slot");
    slots.push({ behind, client: slotClient });
    slotted = true;
  }
  let values: ColumnValue[] | null = null;
  if (slotted && layout.inlineRow) {
    const at = LOAD_FIXED + 2 * layout.columns.length;
    if (row[at] === 1)
      values = layout.columns.map((c, i) => fromSqlite(c.type, row[at + 1 + i] ?? null));
  } else if (slotted) {
    const tableRows = db.queryValues(layout.loadRowSql, [rowId]);
    if (!tableRows.ok) return tableRows;
    const tableRow = tableRows.value[0];
    if (tableRow) values = layout.columns.map((c, i) => fromSqlite(c.type, tableRow[i] ?? null));
  }
  return decodeRowStamps(
    { hlc, client, deletedHlc, deletedClient, extra, slots },
    values,
    layout,
    (ref) => clientIdOf(db, ref),
  );
}

/**
 * The values {@link StampLayout.saveSql} binds for a row's merge state (its client ids interned):
 * the key, the fixed columns, then two per slot column.
 */
export function stampParams(
  db: LocalDB,
  layout: StampLayout,
  key: string | Uint8Array,
  state: RowState,
): Result<SqlValue[], LocalDBError> {
  const stamps = encodeRowStamps(state, layout, (clientId) => clientRef(db, clientId));
  if (!stamps.ok) return stamps;
  const s = stamps.value;
  const params: SqlValue[] = [
    key,
    s.hlc === null ? null : sqlInteger(s.hlc),
    s.client,
    s.deletedHlc === null ? null : sqlInteger(s.deletedHlc),
    s.deletedClient,
    s.extra,
  ];
  for (const slot of s.slots) {
    if (slot) params.push(sqlInteger(slot.behind), slot.client);
    else params.push(null, null);
  }
  return Ok(params);
}

/** Stores the stamps of a row's merge state (its table row is written separately). */
export function saveRowState(
  db: LocalDB,
  layout: StampLayout,
  key: string | Uint8Array,
  state: RowState,
): Result<void, LocalDBError> {
  const params = stampParams(db, layout, key, state);
  return params.ok ? db.exec(layout.saveSql, params.value) : params;
}

/** Removes the stamps of a row. */
export function deleteRowState(
  db: LocalDB,
  layout: StampLayout,
  key: string | Uint8Array,
): Result<void, LocalDBError> {
  return db.exec(layout.deleteSql, [key]);
}
