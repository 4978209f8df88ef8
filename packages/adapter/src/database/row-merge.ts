/**
 * @module database/row-merge
 * Merging column writes and tombstones into a stored row, the same way on every database.
 */
import { type ColumnValue, setOwn } from "@lakesync/core";
import type { RowDeletion, RowWrite } from "./database-adapter.js";

/** A row as kept in a table: values, the HLC of each value, and the latest tombstone. */
export interface MergedRow {
  readonly values: Record<string, ColumnValue>;
  readonly hlcs: Record<string, bigint>;
  readonly deletedHlc: bigint | null;
}

/** A row nothing was written to. */
export function emptyRow(): MergedRow {
  return { values: {}, hlcs: {}, deletedHlc: null };
}

/** Folds a write in: each column takes the value only when its HLC is higher (ties keep). */
export function mergeWrite(row: MergedRow, write: RowWrite): MergedRow {
  const values = { ...row.values };
  const hlcs = { ...row.hlcs };
  for (const { column, value } of write.columns) {
    const current = Object.hasOwn(hlcs, column) ? hlcs[column] : undefined;
    if (current !== undefined && current >= write.hlc) continue;
    setOwn(values, column, value);
    setOwn(hlcs, column, write.hlc);
  }
  return { values, hlcs, deletedHlc: row.deletedHlc };
}

/** Folds a tombstone in: the latest DELETE is kept. */
export function mergeDeletion(row: MergedRow, deletion: RowDeletion): MergedRow {
  if (row.deletedHlc !== null && row.deletedHlc >= deletion.hlc) return row;
  return { values: row.values, hlcs: row.hlcs, deletedHlc: deletion.hlc };
}

/** The values an application sees: columns written after the tombstone; `null` if none. */
export function visibleValues(row: MergedRow): Record<string, ColumnValue> | null {
  const out: Record<string, ColumnValue> = {};
  let live = false;
  for (const [column, hlc] of Object.entries(row.hlcs)) {
    if (row.deletedHlc !== null && hlc <= row.deletedHlc) continue;
    const value = Object.hasOwn(row.values, column) ? row.values[column] : null;
    setOwn(out, column, value ?? null);
    live = true;
  }
  return live ? out : null;
}

/** The per-column HLCs as stored (decimal strings in a JSON object). */
export function encodeHlcs(hlcs: Record<string, bigint>): string {
  const out: Record<string, string> = {};
  for (const [column, hlc] of Object.entries(hlcs)) setOwn(out, column, hlc.toString());
  return JSON.stringify(out);
}

/** Parses stored per-column HLCs; anything malformed is dropped rather than trusted. */
export function decodeHlcs(raw: unknown): Record<string, bigint> {
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  const out: Record<string, bigint> = {};
  if (typeof parsed !== "object" || parsed === null) return out;
  for (const [column, value] of Object.entries(parsed)) {
    if (typeof value === "string" && /^\d{1,20}$/.test(value)) setOwn(out, column, BigInt(value));
  }
  return out;
}
