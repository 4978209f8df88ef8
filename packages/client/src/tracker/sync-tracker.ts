/**
 * @module tracker/sync-tracker
 * Application writes that are recorded as column deltas and queued for sync.
 */
import {
  Err,
  extractDelta,
  type HLC,
  type LakeSyncError,
  Ok,
  type Result,
  type Row,
  type RowDelta,
  SchemaError,
} from "@lakesync/core";
import type { LocalDB } from "../db/local-db.js";
import { applyDeltas, checkDelta, readRow } from "../db/row-store.js";
import type { SyncQueue } from "../queue/sync-queue.js";

/** What a {@link SyncTracker} needs. */
export interface SyncTrackerOptions {
  readonly db: LocalDB;
  readonly queue: SyncQueue;
  readonly clock: HLC;
  /** This device's stable id: part of every delta id and the LWW tie-break. */
  readonly clientId: string;
}

/** A row to insert: its `id` plus column values. */
export type NewRow = Readonly<Record<string, unknown>> & { readonly id: string };

/**
 * Writes rows to the local database and records each change as a column delta in the outbox.
 * The delta is queued (durably, with an `IDBQueue`) before the local row changes, so a crash at
 * any point loses nothing: `recover()` on start replays the outbox into the database.
 *
 * @example
 * const tracker = new SyncTracker({ db, queue, clock: new HLC(), clientId });
 * await tracker.insert("todos", { id: crypto.randomUUID(), title: "Milk", completed: false });
 */
export class SyncTracker {
  readonly #db: LocalDB;
  readonly #queue: SyncQueue;
  readonly #clock: HLC;
  readonly #clientId: string;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(options: SyncTrackerOptions) {
    this.#db = options.db;
    this.#queue = options.queue;
    this.#clock = options.clock;
    this.#clientId = options.clientId;
  }

  /** Inserts a row (or overwrites every given column of an existing one). */
  insert(table: string, row: NewRow): Promise<Result<RowDelta | null, LakeSyncError>> {
    const { id, ...columns } = row;
    if (typeof id !== "string" || id.length === 0) {
      return Promise.resolve(
        Err(new SchemaError(`insert into "${table}" needs a non-empty string id`)),
      );
    }
    return this.#write(table, id, (before) => (before ? { ...before, ...columns } : columns));
  }

  /** Changes some columns of an existing row; `Err` when the row does not exist. */
  update(
    table: string,
    rowId: string,
    changes: Readonly<Record<string, unknown>>,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#write(table, rowId, (before) => (before ? { ...before, ...changes } : undefined));
  }

  /** Deletes a row; deleting a missing row is a no-op (`Ok(null)`). */
  delete(table: string, rowId: string): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#write(table, rowId, () => null);
  }

  /** Replays every outbox entry into the database (after a crash before the last snapshot). */
  async recover(): Promise<Result<number, LakeSyncError>> {
    const depth = await this.#queue.depth();
    if (!depth.ok) return depth;
    const entries = await this.#queue.peek(depth.value);
    if (!entries.ok) return entries;
    const replayed = applyDeltas(
      this.#db,
      entries.value.map((e) => e.delta),
    );
    if (!replayed.ok) return replayed;
    return Ok(entries.value.length);
  }

  /** Writes are serialised so each reads the state the previous one left. */
  #write(
    table: string,
    rowId: string,
    next: (before: Row | null) => Record<string, unknown> | null | undefined,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    const run = this.#chain.then(() => this.#writeNow(table, rowId, next));
    this.#chain = run;
    return run;
  }

  async #writeNow(
    table: string,
    rowId: string,
    next: (before: Row | null) => Record<string, unknown> | null | undefined,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    const schema = this.#db.schemaOf(table);
    if (!schema)
      return Err(new SchemaError(`table "${table}" is not registered; call registerSchema first`));
    const current = readRow(this.#db, table, rowId);
    if (!current.ok) return current;
    const before = current.value ? withoutId(current.value) : null;
    const after = next(before);
    if (after === undefined) return Err(new SchemaError(`${table}/${rowId} does not exist`));
    const columnsOnly = { ...schema, columns: schema.columns.filter((c) => c.name !== "id") };
    const extracted = extractDelta(before, after === null ? null : withoutId(after), {
      table,
      rowId,
      clientId: this.#clientId,
      hlc: this.#clock.now(),
      schema: columnsOnly,
    });
    if (!extracted.ok) return extracted;
    const delta = extracted.value;
    if (!delta) return Ok(null);
    const unknown = Object.keys(after ?? {}).find(
      (k) => k !== "id" && !schema.columns.some((c) => c.name === k),
    );
    if (unknown !== undefined)
      return Err(new SchemaError(`${table}.${unknown} is not in the schema`));
    const fits = checkDelta(schema, delta);
    if (!fits.ok) return fits;
    const queued = await this.#queue.push([delta]);
    if (!queued.ok) return queued;
    const applied = applyDeltas(this.#db, [delta]);
    return applied.ok ? Ok(delta) : applied;
  }
}

function withoutId<T extends Record<string, unknown>>(row: T): Omit<T, "id"> {
  const { id: _id, ...rest } = row;
  return rest;
}
