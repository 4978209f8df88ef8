/**
 * @module db/bulk-apply
 * Applying a checkpoint chunk in bulk. A chunk holds each row's whole merged state as deltas, and
 * a replica starting from a checkpoint has never seen most of those rows, so their merge needs no
 * reads: each row's deltas are folded with core's merge from the empty state, and rows and stamps
 * are written many to a statement (in sql.js every statement run costs more than the rows it
 * writes), bound exactly as `writeRow` and `saveRowState` bind one. Rows the replica already holds
 * (its own writes made before the first sync, a row sent twice) are found by the stamps insert
 * and send the whole chunk down the row-by-row path of `applyDeltas`, so the outcome is always
 * the one the merge gives.
 */
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  materialiseRow,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
  type SchemaError,
  valueFitsType,
} from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import { clientRef } from "./client-refs.js";
import { toSqlite } from "./column-codec.js";
import type { LocalDB } from "./local-db.js";
import { layoutOf, sqlInteger, stampParams } from "./row-state-store.js";
import { applyDeltas, type RowSql, rowParams, rowSql } from "./row-store.js";
import type { SqlValue } from "./sql-engine.js";
import { stampKey } from "./stamp-key.js";
import type { StampLayout } from "./stamp-table.js";

/** Rows per statement: 100 rows of a 6-column table bind about 2,000 values. */
const ROWS_PER_STATEMENT = 100;

/** Stamps rows of one shape: the SQL of one row's values, and the values each row binds. */
interface StampGroup {
  readonly tuple: string | undefined;
  readonly items: SqlValue[][];
}

/** One table's rows gathered for writing, each as the values its statement binds. */
interface TableBatch {
  readonly layout: StampLayout;
  readonly sql: RowSql;
  /** By shape (see {@link stampGroup}). */
  readonly stamps: Map<number, StampGroup>;
  stampCount: number;
  readonly rows: SqlValue[][];
  /** Rows whose state is deleted: they have stamps and no table row. */
  readonly removed: string[];
}

/**
 * Runs `sql(n)` over `items` in groups of {@link ROWS_PER_STATEMENT}, then of 10, then one by one,
 * so that every table needs at most three statements (kept prepared), returning how many rows
 * SQLite changed.
 */
function runMany(
  db: LocalDB,
  items: readonly SqlValue[][],
  sql: (rows: number) => string,
  countChanges: boolean,
): Result<number, LocalDBError> {
  let changed = 0;
  for (let at = 0; at < items.length; ) {
    const left = items.length - at;
    const size = left >= ROWS_PER_STATEMENT ? ROWS_PER_STATEMENT : left >= 10 ? 10 : 1;
    const group = items.slice(at, at + size);
    at += size;
    const run = db.exec(sql(group.length), group.flat());
    if (!run.ok) return run;
    if (!countChanges) continue;
    const changes = db.queryValues("SELECT changes()");
    if (!changes.ok) return changes;
    const count = changes.value[0]?.[0];
    changed += typeof count === "number" ? count : 0;
  }
  return Ok(changed);
}

/** Writes a batch; `Ok(false)` when some of its rows already had stamps (then undo it). */
function writeBatch(db: LocalDB, batch: TableBatch): Result<boolean, LocalDBError> {
  let saved = 0;
  for (const { tuple, items } of batch.stamps.values()) {
    const run = runMany(db, items, (rows) => batch.layout.insertManySql(rows, tuple), true);
    if (!run.ok) return run;
    saved += run.value;
  }
  if (saved !== batch.stampCount) return Ok(false);
  const written = runMany(db, batch.rows, batch.sql.upsertMany, false);
  if (!written.ok) return written;
  for (const rowId of batch.removed) {
    const removed = db.exec(batch.sql.remove, [rowId]);
    if (!removed.ok) return removed;
  }
  return Ok(true);
}

/**
 * The stamps rows of one shape: `-1` for stamps bound in full, else the slots a uniform row wrote
 * (bit i for slot i), whose tuple binds only the key, the HLC and the writer.
 */
function stampGroup(batch: TableBatch, shape: number, slots: number): StampGroup {
  let group = batch.stamps.get(shape);
  if (!group) {
    let tuple: string | undefined;
    if (shape >= 0) {
      const cells = Array.from({ length: slots }, (_, i) =>
        shape & (1 << i) ? "0, NULL" : "NULL, NULL",
      );
      tuple = `(?, ?, ?, NULL, NULL, NULL, ${cells.join(", ")})`;
    }
    group = { tuple, items: [] };
    batch.stamps.set(shape, group);
  }
  return group;
}

/**
 * Adds a row written by one INSERT or UPDATE whose columns all have slots, once each, with values
 * that fit them: what `encodeRowStamps` gives such a row is the delta's HLC and writer, and 0
 * behind in every written slot, so only those are bound. `Ok(false)` for any other delta.
 */
function addUniformRow(
  db: LocalDB,
  batch: TableBatch,
  delta: RowDelta,
): Result<boolean, LocalDBError> {
  const { layout } = batch;
  if (delta.op === "DELETE" || delta.columns.length === 0) return Ok(false);
  const values: SqlValue[] = [delta.rowId];
  for (let i = 0; i < layout.columns.length; i++) values.push(null);
  // Bit i set: slot i written (a row of a wider table falls back below).
  let shape = 0;
  for (const { column, value } of delta.columns) {
    const at = layout.index.get(column);
    const slot = at === undefined ? undefined : layout.columns[at];
    if (at === undefined || !slot || at > 30 || shape & (1 << at)) return Ok(false);
    if (!valueFitsType(slot.type, value)) return Ok(false);
    shape |= 1 << at;
    const encoded = toSqlite(slot.type, value, column);
    values[at + 1] = encoded.ok ? encoded.value : null;
  }
  const ref = clientRef(db, delta.clientId);
  if (!ref.ok) return ref;
  const group = stampGroup(batch, shape, layout.columns.length);
  group.items.push([stampKey(delta.rowId), sqlInteger(delta.hlc), ref.value]);
  batch.stampCount++;
  batch.rows.push(values);
  return Ok(true);
}

/** Adds one row's folded state to its table's batch. */
function addRow(
  db: LocalDB,
  batch: TableBatch,
  rowId: string,
  state: RowState,
): Result<void, LocalDBError> {
  const stamps = stampParams(db, batch.layout, stampKey(rowId), state);
  if (!stamps.ok) return stamps;
  stampGroup(batch, -1, 0).items.push(stamps.value);
  batch.stampCount++;
  const row = materialiseRow(state);
  if (row === null) batch.removed.push(rowId);
  else batch.rows.push(rowParams(batch.layout.schema, rowId, row));
  return Ok(undefined);
}

const SAVEPOINT = "lakesync_bulk_apply";

/**
 * Applies the deltas of a checkpoint chunk in one transaction, with the same outcome as
 * `applyDeltas` (column-level last-writer-wins through core's merge), but without reading any
 * row's state when the replica has none for the chunk's rows: consecutive deltas of one row are
 * folded in memory and rows are written in bulk. When any row already has a state the chunk takes
 * `applyDeltas`' row-by-row path. Deltas of a table that is not registered are an
 * `Err(SchemaError)` and nothing is applied. Returns how many rows the chunk holds.
 */
export function applyCheckpointDeltas(
  db: LocalDB,
  deltas: readonly RowDelta[],
): Result<number, LocalDBError | SchemaError> {
  return db.transaction<number>(() => {
    const batches = new Map<string, TableBatch>();
    let rows = 0;
    let at = 0;
    while (at < deltas.length) {
      const first = deltas[at] as RowDelta;
      let batch = batches.get(first.table);
      if (!batch) {
        const layout = layoutOf(db, first.table);
        if (!layout.ok) return layout;
        const sql = rowSql(layout.value.schema);
        batch = {
          layout: layout.value,
          sql,
          stamps: new Map(),
          stampCount: 0,
          rows: [],
          removed: [],
        };
        batches.set(first.table, batch);
      }
      rows++;
      let end = at + 1;
      while (end < deltas.length) {
        const next = deltas[end] as RowDelta;
        if (next.rowId !== first.rowId || next.table !== first.table) break;
        end++;
      }
      const start = at;
      at = end;
      if (end === start + 1) {
        const uniform = addUniformRow(db, batch, first);
        if (!uniform.ok) return uniform;
        if (uniform.value) continue;
      }
      let state = EMPTY_ROW_STATE;
      for (let i = start; i < end; i++) state = applyToRowState(state, deltas[i] as RowDelta);
      const added = addRow(db, batch, first.rowId, state);
      if (!added.ok) return added;
    }
    // Client ids were interned above, outside the savepoint: falling back keeps them.
    const opened = db.exec(`SAVEPOINT ${SAVEPOINT}`);
    if (!opened.ok) return opened;
    for (const batch of batches.values()) {
      const written = writeBatch(db, batch);
      if (!written.ok) return written;
      if (!written.value) {
        const undone = db.exec(`ROLLBACK TO ${SAVEPOINT}`);
        if (!undone.ok) return undone;
        const released = db.exec(`RELEASE ${SAVEPOINT}`);
        if (!released.ok) return released;
        const exact = applyDeltas(db, deltas);
        return exact.ok ? Ok(rows) : exact;
      }
    }
    const released = db.exec(`RELEASE ${SAVEPOINT}`);
    return released.ok ? Ok(rows) : released;
  });
}
