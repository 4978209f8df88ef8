/**
 * @module schema/schema-manager
 * The gateway's table schemas: versioned, additive, and checked against every push.
 */
import {
  type ColumnType,
  type ColumnValue,
  checkSchemaGrowth,
  Err,
  Ok,
  type Result,
  type RowDelta,
  SchemaError,
  type TableSchema,
  validateTableSchema,
  valueFitsType,
} from "@lakesync/core";

/** How pushes that do not match the known schemas are treated. */
export type SchemaPolicy =
  /** Unknown tables or columns are rejected with `SchemaError`. */
  | "strict"
  /** Unknown tables and columns are added (additive evolution), typed from the first value. */
  | "additive";

/** The schemas a gateway serves to clients, with a version that grows on every change. */
export interface SchemaSet {
  readonly version: number;
  readonly tables: readonly TableSchema[];
}

function inferType(value: ColumnValue): ColumnType {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "json";
}

/**
 * Per-table schemas. A schema may only grow: columns can be added, never dropped or retyped
 * (that needs an explicit migration). Every accepted change bumps the version, which clients
 * use to know when to fetch schemas again.
 */
export class SchemaManager {
  readonly #tables = new Map<string, Map<string, ColumnType>>();
  #version = 0;
  readonly #policy: SchemaPolicy;

  constructor(policy: SchemaPolicy = "strict", initial?: SchemaSet) {
    this.#policy = policy;
    if (initial) {
      for (const schema of initial.tables) this.#setTable(schema);
      this.#version = initial.version;
    }
  }

  /** The current schemas and their version. */
  snapshot(): SchemaSet {
    const tables: TableSchema[] = [];
    for (const [table, columns] of this.#tables) {
      tables.push({ table, columns: [...columns].map(([name, type]) => ({ name, type })) });
    }
    return { version: this.#version, tables };
  }

  /** The schema of one table, if known. */
  get(table: string): TableSchema | undefined {
    const columns = this.#tables.get(table);
    if (!columns) return undefined;
    return { table, columns: [...columns].map(([name, type]) => ({ name, type })) };
  }

  /**
   * Registers a schema, or grows an existing one. Returns whether anything changed;
   * `Err(SchemaError)` for an invalid document or a column dropped or retyped.
   */
  register(document: unknown): Result<boolean, SchemaError> {
    const valid = validateTableSchema(document);
    if (!valid.ok) return valid;
    const schema = valid.value;
    const grows = checkSchemaGrowth(this.get(schema.table), schema);
    if (!grows.ok) return grows;
    if (!grows.value) return Ok(false);
    this.#setTable(schema);
    this.#version++;
    return Ok(true);
  }

  /**
   * Checks deltas against the schemas: unknown tables or columns, and values of the wrong type,
   * are a `SchemaError` naming the delta. Under the additive policy unknown tables and columns
   * are added instead (and `true` is returned when the schemas changed); with `grow: false`
   * they are only checked, and `true` says they would grow. Nothing changes when the result is
   * an `Err`.
   */
  check(deltas: readonly RowDelta[], grow = true): Result<boolean, SchemaError> {
    const additions = new Map<string, Map<string, ColumnType>>();
    for (const delta of deltas) {
      const known = this.#tables.get(delta.table);
      if (!known && this.#policy === "strict")
        return Err(new SchemaError(`unknown table "${delta.table}" (delta ${delta.deltaId})`));
      for (const { column, value } of delta.columns) {
        const type = known?.get(column) ?? additions.get(delta.table)?.get(column);
        if (type === undefined) {
          if (this.#policy === "strict")
            return Err(
              new SchemaError(
                `unknown column "${column}" in table "${delta.table}" (delta ${delta.deltaId})`,
              ),
            );
          if (value === null) continue;
          let added = additions.get(delta.table);
          if (!added) {
            added = new Map();
            additions.set(delta.table, added);
          }
          added.set(column, inferType(value));
          continue;
        }
        if (!valueFitsType(type, value))
          return Err(
            new SchemaError(
              `${delta.table}.${column} is ${type}, got ${JSON.stringify(value)} (delta ${delta.deltaId})`,
            ),
          );
      }
    }
    if (additions.size === 0) return Ok(false);
    for (const [table, columns] of additions) {
      // The grown schema must pass the same validation as a registered one (reserved names).
      const grown = [...(this.#tables.get(table) ?? new Map<string, ColumnType>()), ...columns];
      const valid = validateTableSchema({
        table,
        columns: grown.map(([name, type]) => ({ name, type })),
      });
      if (!valid.ok) return valid;
    }
    if (!grow) return Ok(true);
    for (const [table, columns] of additions) {
      const current = this.#tables.get(table) ?? new Map<string, ColumnType>();
      for (const [name, type] of columns) if (!current.has(name)) current.set(name, type);
      this.#tables.set(table, current);
    }
    this.#version++;
    return Ok(true);
  }

  #setTable(schema: TableSchema): void {
    const columns = new Map<string, ColumnType>();
    for (const c of schema.columns) columns.set(c.name, c.type);
    this.#tables.set(schema.table, columns);
  }
}
