/**
 * @module delta/rules
 * The protocol's rules for a delta, shared by the fast codecs and the protobuf-es mapping so that
 * both accept and refuse exactly the same deltas: a known op, non-empty table, row and client
 * ids, non-empty distinct column names, no columns on a DELETE, and (optionally) an id that
 * matches the content.
 */
import { type ColumnDelta, type DeltaOp, deltaId, type RowDelta } from "@lakesync/core";
import { fail } from "../wire/failure.js";

/** The `DeltaOp` enum numbers of `lakesync.proto`. */
export const OP_NUMBERS: Readonly<Record<DeltaOp, number>> = { INSERT: 1, UPDATE: 2, DELETE: 3 };
const OPS: readonly (DeltaOp | undefined)[] = [undefined, "INSERT", "UPDATE", "DELETE"];

/** The op a wire enum number stands for; throws `INVALID_ENUM` for 0 (unspecified) and unknowns. */
export function opFromNumber(value: number): DeltaOp {
  return OPS[value] ?? fail("INVALID_ENUM", "op", `unknown DeltaOp ${value}`);
}

/** The wire enum number of an op; throws `INVALID_ENUM` for anything but the three ops. */
export function opToNumber(op: DeltaOp): number {
  if (op === "INSERT" || op === "UPDATE" || op === "DELETE") return OP_NUMBERS[op];
  return fail("INVALID_ENUM", "op", `unknown op ${JSON.stringify(op)}`);
}

/** Throws `INVALID_FIELD` unless `value` is a non-empty string. */
export function requireId(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") fail("INVALID_FIELD", field, "must not be empty");
  return value;
}

/** Throws `INVALID_FIELD` unless `value` is a bigint that fits an unsigned 64-bit field. */
export function requireHlc(value: unknown, field: string): bigint {
  if (typeof value !== "bigint" || value < 0n || value > 0xffff_ffff_ffff_ffffn) {
    return fail("INVALID_FIELD", field, "must be an unsigned 64-bit bigint");
  }
  return value;
}

/** Throws `INVALID_FIELD` for columns on a DELETE or a column named twice. */
export function checkColumnSet(op: DeltaOp, columns: readonly ColumnDelta[]): void {
  const n = columns.length;
  if (n === 0) return;
  if (op === "DELETE") fail("INVALID_FIELD", "columns", "a DELETE carries no columns");
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const name = (columns[i] as ColumnDelta).column;
      for (let j = 0; j < i; j++) {
        if ((columns[j] as ColumnDelta).column === name) duplicate(i, name);
      }
    }
    return;
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const name = (columns[i] as ColumnDelta).column;
    if (seen.has(name)) duplicate(i, name);
    seen.add(name);
  }
}

function duplicate(index: number, name: string): never {
  return fail("INVALID_FIELD", `columns[${index}]`, `column ${JSON.stringify(name)} appears twice`);
}

/** Throws `INVALID_DELTA_ID` unless the delta's id is the one `deltaId()` derives from it. */
export function verifyDeltaId(delta: RowDelta): void {
  if (deltaId(delta) !== delta.deltaId) {
    fail("INVALID_DELTA_ID", "deltaId", "does not match the delta's content");
  }
}
