/**
 * @module compose/composite-adapter
 * Routing tables to different backends: `todos` to Postgres, everything else to the lake.
 */

import type { TableSchema } from "@lakesync/core";
import { AdapterError, Err, type Result } from "@lakesync/core";
import {
  type DatabaseAdapter,
  isDatabaseAdapter,
  type RowDeletion,
  type RowWrite,
  type StoredRow,
} from "../database/database-adapter.js";
import { isLakeAdapter, type LakeAdapter, type ObjectInfo } from "../lake/lake-adapter.js";

/** Either kind of adapter. */
export type AnyAdapter = LakeAdapter | DatabaseAdapter;

/** Options for {@link CompositeAdapter}. */
export interface CompositeOptions {
  /** Table name to adapter. */
  readonly routes: Readonly<Record<string, AnyAdapter>>;
  /** Where every other table goes, and where object operations go. */
  readonly fallback: AnyAdapter;
}

/**
 * Routes each table to an adapter, with a fallback. The gateway asks {@link adapterFor} per table
 * when it flushes. The `DatabaseAdapter` methods route by table (an `Err` when the table is
 * routed to a lake); the `LakeAdapter` methods go to the fallback when it is a lake.
 */
export class CompositeAdapter implements DatabaseAdapter, LakeAdapter {
  readonly #routes: Map<string, AnyAdapter>;
  readonly #fallback: AnyAdapter;

  constructor(options: CompositeOptions) {
    this.#routes = new Map(Object.entries(options.routes));
    this.#fallback = options.fallback;
  }

  /** The adapter a table's data goes to. */
  adapterFor(table: string): AnyAdapter {
    return this.#routes.get(table) ?? this.#fallback;
  }

  #database(table: string): Result<DatabaseAdapter, AdapterError> {
    const adapter = this.adapterFor(table);
    return isDatabaseAdapter(adapter)
      ? { ok: true, value: adapter }
      : Err(new AdapterError(`table "${table}" is routed to a lake, not a database`));
  }

  #lake(): Result<LakeAdapter, AdapterError> {
    return isLakeAdapter(this.#fallback)
      ? { ok: true, value: this.#fallback }
      : Err(
          new AdapterError("the fallback adapter is not a lake: object operations are unavailable"),
        );
  }

  async ensureTable(schema: TableSchema): Promise<Result<void, AdapterError>> {
    const db = this.#database(schema.table);
    return db.ok ? db.value.ensureTable(schema) : db;
  }

  async putRows(table: string, rows: readonly RowWrite[]): Promise<Result<void, AdapterError>> {
    const db = this.#database(table);
    return db.ok ? db.value.putRows(table, rows) : db;
  }

  async getRows(
    table: string,
    rowIds?: readonly string[],
  ): Promise<Result<StoredRow[], AdapterError>> {
    const db = this.#database(table);
    return db.ok ? db.value.getRows(table, rowIds) : db;
  }

  async deleteRows(
    table: string,
    rows: readonly RowDeletion[],
  ): Promise<Result<void, AdapterError>> {
    const db = this.#database(table);
    return db.ok ? db.value.deleteRows(table, rows) : db;
  }

  async putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, AdapterError>> {
    const lake = this.#lake();
    return lake.ok ? lake.value.putObject(path, data, contentType) : lake;
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const lake = this.#lake();
    return lake.ok ? lake.value.getObject(path) : lake;
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const lake = this.#lake();
    return lake.ok ? lake.value.headObject(path) : lake;
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const lake = this.#lake();
    return lake.ok ? lake.value.listObjects(prefix) : lake;
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    const lake = this.#lake();
    return lake.ok ? lake.value.deleteObject(path) : lake;
  }

  async deleteObjects(paths: readonly string[]): Promise<Result<void, AdapterError>> {
    const lake = this.#lake();
    return lake.ok ? lake.value.deleteObjects(paths) : lake;
  }

  /** Closes every database adapter it routes to. */
  async close(): Promise<void> {
    const all = new Set<AnyAdapter>([...this.#routes.values(), this.#fallback]);
    for (const adapter of all) if (isDatabaseAdapter(adapter)) await adapter.close();
  }
}
