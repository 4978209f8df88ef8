/**
 * @module lakesync/lake-table-setup
 * Making the layout's tables ready for a flush: created on first use (namespace too) with their
 * schema and partition spec, and grown with `addColumns` when the columns to write include some
 * the table lacks; and which columns a synced table's flush writes. Racing creators and schema
 * growers are handled by `createTableIfMissing` and `addColumns`.
 */
import {
  type ColumnType,
  type ColumnValue,
  type LakeSyncError,
  materialiseRow,
  Ok,
  type Result,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import type { Catalogue, LoadedTable, TableIdentifier } from "../catalogue/catalogue.js";
import type { RetryOptions } from "../commit/retry.js";
import { addColumns, createTableIfMissing, type NewColumn } from "../commit/table-setup.js";
import { currentSchema } from "../iceberg/metadata.js";
import type { IcebergSchema, PartitionSpec } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { missingColumns, tableSchemaToIceberg } from "./column-mapping.js";
import { LAYOUT_PROPERTY, lakeTableLocation, TABLE_PROPERTY } from "./layout.js";

/** What a layout table needs to exist and to hold. */
export interface LakeTableSetup {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly table: TableIdentifier;
  /** The schema to create the table with. */
  readonly schema: IcebergSchema;
  readonly spec: PartitionSpec;
  /** The columns the table's current schema lacks. */
  readonly newColumns: (current: IcebergSchema) => Result<NewColumn[], LakeSyncError>;
  readonly properties: Readonly<Record<string, string>>;
  readonly retry?: RetryOptions;
}

/**
 * Loads or creates the table, then adds the columns it lacks. A table whose name or namespace is
 * not plain is created at its layout location (`lakeTableLocation`); others where the catalogue
 * puts tables by default. Errors are the catalogue's.
 */
export async function ensureLakeTable(
  setup: LakeTableSetup,
): Promise<Result<LoadedTable, LakeSyncError>> {
  const { catalogue, table } = setup;
  // Plain names keep the catalogue's default location (a REST catalogue may choose its own).
  const location = lakeTableLocation(setup.location, table);
  const plain = location === setup.location.tableLocation(table.namespace, table.name);
  const loaded = await createTableIfMissing(catalogue, table, {
    schema: setup.schema,
    partitionSpec: setup.spec,
    ...(plain ? {} : { location }),
    properties: setup.properties,
  });
  if (!loaded.ok) return loaded;
  const missing = setup.newColumns(currentSchema(loaded.value.metadata));
  if (!missing.ok) return missing;
  if (missing.value.length === 0) return loaded;
  return addColumns(catalogue, table, missing.value, setup.retry);
}

/** The fields of a fixed `schema` that `current` lacks (by name). */
export function fixedColumnsMissing(schema: IcebergSchema) {
  return (current: IcebergSchema): Result<NewColumn[], LakeSyncError> =>
    Ok(
      schema.fields
        .filter((f) => !current.fields.some((c) => c.name === f.name))
        .map((f) => ({ name: f.name, type: f.type, ...(f.doc ? { doc: f.doc } : {}) })),
    );
}

function inferType(value: ColumnValue): ColumnType {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "json";
}

/**
 * The columns to write for a synced table: those of its registered schema, then any column with
 * a visible non-null value in `states` that neither the schema nor `known` names, typed from its
 * values (json when they disagree), so no value is ever dropped.
 */
export function columnsToWrite(
  table: string,
  schema: TableSchema | undefined,
  states: Iterable<RowState>,
  known: ReadonlySet<string> = new Set(),
): TableSchema {
  const declared = schema?.columns ?? [];
  const named = new Set([...declared.map((c) => c.name), ...known]);
  const inferred = new Map<string, ColumnType>();
  for (const state of states) {
    const row = materialiseRow(state);
    if (!row) continue;
    for (const [name, value] of Object.entries(row)) {
      if (named.has(name) || value === null) continue;
      const type = inferType(value);
      const before = inferred.get(name);
      inferred.set(name, before === undefined || before === type ? type : "json");
    }
  }
  return {
    table,
    columns: [...declared, ...[...inferred].map(([name, type]) => ({ name, type }))],
  };
}

/** The setup of `ns.T` for the columns to write (see {@link columnsToWrite}). */
export function mainTableSetup(
  base: Omit<LakeTableSetup, "schema" | "newColumns" | "properties">,
  schema: TableSchema | undefined,
  states: readonly RowState[],
): Result<LakeTableSetup, LakeSyncError> {
  const table = base.table.name;
  const initial = tableSchemaToIceberg(columnsToWrite(table, schema, states));
  if (!initial.ok) return initial;
  return Ok({
    ...base,
    schema: initial.value,
    properties: { [LAYOUT_PROPERTY]: "table", [TABLE_PROPERTY]: table },
    newColumns: (current) => {
      const known = new Set(current.fields.map((f) => f.name));
      return missingColumns(columnsToWrite(table, schema, states, known), current);
    },
  });
}
