/**
 * @module union/delta-schema
 * The schema of a union: the lake snapshot's columns, plus columns that only unflushed deltas
 * carry (a column added after the last flush), typed from their values as the lake would type
 * them (json when the values disagree).
 */
import type { ColumnType, TableSchema } from "@lakesync/core";

function typeOfValue(value: unknown): ColumnType {
  if (value === null) return "null";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "json";
}

/** `schema` grown by the columns of `seen` (column → sample values) it lacks, in name order. */
export function schemaWithDeltas(
  schema: TableSchema,
  seen: ReadonlyMap<string, readonly unknown[]>,
): TableSchema {
  const known = new Set(schema.columns.map((c) => c.name));
  const added = [...seen.keys()]
    .filter((name) => !known.has(name) && name !== "row_id")
    .sort()
    .map((name) => {
      const types = new Set((seen.get(name) ?? []).map(typeOfValue));
      types.delete("null");
      const [only] = types;
      const type: ColumnType = types.size === 0 ? "null" : types.size === 1 && only ? only : "json";
      return { name, type };
    });
  return added.length === 0 ? schema : { ...schema, columns: [...schema.columns, ...added] };
}
