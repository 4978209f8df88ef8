/**
 * @module database/sql-row-adapter
 * The `DatabaseAdapter` logic shared by PostgreSQL and MySQL: validation, batching and the
 * column-level merge; the dialect supplies the SQL.
 */
import {
  AdapterError,
  type ColumnType,
  type ColumnValue,
  Err,
  Ok,
  type Result,
  type RowState,
  setOwn,
  type TableSchema,
  validateTableSchema,
  valueFitsType,
} from "@lakesync/core";
import type { DatabaseAdapter, RowDeletion, RowWrite, StoredRow } from "./database-adapter.js";
import {
  decodeRow,
  emptyRow,
  encodeStamps,
  mergeDeletion,
  mergeWrite,
  visibleValues,
} from "./row-merge.js";
import {
  DELETED,
  DELETED_HLC,
  HLCS,
  ID,
  type SqlDialect,
  type SqlPool,
  type SqlSession,
} from "./sql-dialect.js";

const MAX_PARAMS = 60_000;

function failure(action: string, cause: unknown): AdapterError {
  const message = (cause as { message?: string }).message ?? String(cause);
  return new AdapterError(`${action}: ${message}`, { cause });
}

/** Column-level upserts over a SQL pool; see {@link DatabaseAdapter} for the table layout. */
export class SqlRowAdapter implements DatabaseAdapter {
  readonly #dialect: SqlDialect;
  readonly #pool: SqlPool;
  readonly #schemas = new Map<string, Map<string, ColumnType>>();

  constructor(dialect: SqlDialect, pool: SqlPool) {
    this.#dialect = dialect;
    this.#pool = pool;
  }

  #checkName(name: string, what: string): AdapterError | null {
    if (name.length > this.#dialect.maxIdentifier)
      return new AdapterError(
        `${what} "${name}" is longer than ${this.#dialect.maxIdentifier} characters (${this.#dialect.name})`,
        {
          code: "INVALID_IDENTIFIER",
        },
      );
    if (this.#dialect.name === "MySQL" && / $/.test(name))
      return new AdapterError(`${what} "${name}" ends with a space, which MySQL does not allow`, {
        code: "INVALID_IDENTIFIER",
      });
    return null;
  }

  async ensureTable(document: TableSchema): Promise<Result<void, AdapterError>> {
    const valid = validateTableSchema(document);
    if (!valid.ok)
      return Err(
        new AdapterError(valid.error.message, { code: "SCHEMA_MISMATCH", cause: valid.error }),
      );
    const schema = valid.value;
    const bad = this.#checkName(schema.table, "table name");
    if (bad) return Err(bad);
    for (const column of schema.columns) {
      const lower = column.name.toLowerCase();
      if (lower === ID || lower.startsWith("_lakesync"))
        return Err(
          new AdapterError(`column name "${column.name}" is reserved`, {
            code: "INVALID_IDENTIFIER",
          }),
        );
      const badColumn = this.#checkName(column.name, "column name");
      if (badColumn) return Err(badColumn);
    }
    const d = this.#dialect;
    try {
      await this.#pool.transaction(async (s) => {
        await s.query(d.createTable(schema.table, schema.columns));
        const q = d.columnsQuery(schema.table);
        const existing = new Set((await s.query(q.sql, q.params)).map((r) => String(r[q.key])));
        for (const column of schema.columns)
          if (!existing.has(column.name)) await s.query(d.addColumn(schema.table, column));
      });
    } catch (cause) {
      return Err(failure(`cannot create or alter table "${schema.table}"`, cause));
    }
    const known = this.#schemas.get(schema.table) ?? new Map<string, ColumnType>();
    for (const c of schema.columns) known.set(c.name, c.type);
    this.#schemas.set(schema.table, known);
    return Ok(undefined);
  }

  #schema(table: string): Result<Map<string, ColumnType>, AdapterError> {
    const schema = this.#schemas.get(table);
    return schema
      ? Ok(schema)
      : Err(
          new AdapterError(`table "${table}" is unknown to this adapter: call ensureTable first`, {
            code: "SCHEMA_MISMATCH",
          }),
        );
  }

  async putRows(table: string, rows: readonly RowWrite[]): Promise<Result<void, AdapterError>> {
    const schema = this.#schema(table);
    if (!schema.ok) return schema;
    for (const row of rows) {
      if (typeof row.rowId !== "string" || row.rowId.length === 0 || row.rowId.length > 255)
        return Err(new AdapterError("row ids must be 1-255 characters", { code: "INVALID_INPUT" }));
      for (const { column, value } of row.columns) {
        const type = schema.value.get(column);
        if (type === undefined)
          return Err(
            new AdapterError(`column "${column}" is not in the schema of "${table}"`, {
              code: "SCHEMA_MISMATCH",
            }),
          );
        if (!valueFitsType(type, value))
          return Err(
            new AdapterError(`${table}.${column} is ${type}, got ${JSON.stringify(value)}`, {
              code: "SCHEMA_MISMATCH",
            }),
          );
      }
    }
    return this.#mergeInto(
      table,
      schema.value,
      rows.map((r) => ({ rowId: r.rowId, apply: (m: RowState) => mergeWrite(m, r) })),
    );
  }

  async deleteRows(
    table: string,
    rows: readonly RowDeletion[],
  ): Promise<Result<void, AdapterError>> {
    const schema = this.#schema(table);
    if (!schema.ok) return schema;
    return this.#mergeInto(
      table,
      schema.value,
      rows.map((r) => ({ rowId: r.rowId, apply: (m: RowState) => mergeDeletion(m, r) })),
    );
  }

  async #mergeInto(
    table: string,
    schema: Map<string, ColumnType>,
    changes: readonly { rowId: string; apply: (row: RowState) => RowState }[],
  ): Promise<Result<void, AdapterError>> {
    if (changes.length === 0) return Ok(undefined);
    const columns = [ID, HLCS, DELETED_HLC, DELETED, ...schema.keys()];
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    const ids = [...new Set(changes.map((c) => c.rowId))];
    try {
      await this.#pool.transaction(async (s) => {
        for (let i = 0; i < ids.length; i += perStatement) {
          const batch = ids.slice(i, i + perStatement);
          const merged = await this.#load(s, table, schema, batch, true);
          const wanted = new Set(batch);
          for (const change of changes) {
            if (!wanted.has(change.rowId)) continue;
            merged.set(change.rowId, change.apply(merged.get(change.rowId) ?? emptyRow()));
          }
          const params: unknown[] = [];
          for (const id of batch) {
            const row = merged.get(id) ?? emptyRow();
            const visible = visibleValues(row);
            params.push(
              id,
              encodeStamps(row),
              row.deleted?.hlc.toString() ?? null,
              visible === null,
            );
            for (const [column, type] of schema) {
              const value = visible && Object.hasOwn(visible, column) ? visible[column] : null;
              params.push(this.#dialect.encode(type, value ?? null));
            }
          }
          await s.query(this.#dialect.upsert(table, columns, batch.length), params);
        }
      });
      return Ok(undefined);
    } catch (cause) {
      return Err(failure(`cannot write rows of "${table}"`, cause));
    }
  }

  async #load(
    s: SqlSession,
    table: string,
    schema: Map<string, ColumnType>,
    ids: readonly string[],
    lock: boolean,
  ): Promise<Map<string, RowState>> {
    const d = this.#dialect;
    const list = ids.map((_, i) => d.placeholder(i + 1)).join(", ");
    const select = [ID, HLCS, DELETED_HLC, ...schema.keys()].map(d.quote).join(", ");
    const rows = await s.query(
      `SELECT ${select} FROM ${d.table(table)} WHERE ${d.quote(ID)} IN (${list})${lock ? " FOR UPDATE" : ""}`,
      ids,
    );
    const out = new Map<string, RowState>();
    for (const r of rows) {
      const values: Record<string, ColumnValue> = {};
      for (const [column, type] of schema) setOwn(values, column, d.decode(type, r[column]));
      out.set(String(r[ID]), decodeRow(values, r[HLCS], r[DELETED_HLC]));
    }
    return out;
  }

  async getRows(
    table: string,
    rowIds?: readonly string[],
  ): Promise<Result<StoredRow[], AdapterError>> {
    const schema = this.#schema(table);
    if (!schema.ok) return schema;
    const d = this.#dialect;
    const select = [ID, HLCS, DELETED_HLC, ...schema.value.keys()].map(d.quote).join(", ");
    const out: StoredRow[] = [];
    const toRows = (rows: Record<string, unknown>[]) => {
      for (const r of rows) {
        const values: Record<string, ColumnValue> = {};
        for (const [column, type] of schema.value)
          setOwn(values, column, d.decode(type, r[column]));
        const visible = visibleValues(decodeRow(values, r[HLCS], r[DELETED_HLC]));
        if (visible) out.push({ rowId: String(r[ID]), values: visible });
      }
    };
    try {
      await this.#pool.transaction(async (s) => {
        const live = `${d.quote(DELETED)} = ${d.name === "MySQL" ? "0" : "FALSE"}`;
        if (rowIds === undefined) {
          toRows(
            await s.query(
              `SELECT ${select} FROM ${d.table(table)} WHERE ${live} ORDER BY ${d.quote(ID)}`,
            ),
          );
          return;
        }
        for (let i = 0; i < rowIds.length; i += 10_000) {
          const batch = rowIds.slice(i, i + 10_000);
          if (batch.length === 0) continue;
          const list = batch.map((_, k) => d.placeholder(k + 1)).join(", ");
          toRows(
            await s.query(
              `SELECT ${select} FROM ${d.table(table)} WHERE ${live} AND ${d.quote(ID)} IN (${list})`,
              batch,
            ),
          );
        }
      });
      return Ok(out);
    } catch (cause) {
      return Err(failure(`cannot read rows of "${table}"`, cause));
    }
  }

  async close(): Promise<void> {
    await this.#pool.close().catch(() => undefined);
  }
}
