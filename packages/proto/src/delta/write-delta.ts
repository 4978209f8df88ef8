/**
 * @module delta/write-delta
 * Encoding `RowDelta` and `ColumnDelta` from the types of @lakesync/core, in two passes: `size*`
 * checks a delta against the protocol's rules, serialises its column values and records every
 * length in an {@link EncodePlan}; `write*` then writes into a buffer of exactly that size.
 */
import type { ColumnDelta, RowDelta } from "@lakesync/core";
import { fail, within } from "../wire/failure.js";
import { DELTA_ID_BYTES, isDeltaIdHex } from "../wire/hex.js";
import { Tags } from "../wire/tags.js";
import { utf8Length } from "../wire/utf8.js";
import { delimitedSize, type WireWriter } from "../wire/writer.js";
import { serialiseColumnValue } from "./column-value.js";
import { checkColumnSet, OP_NUMBERS, opToNumber, requireHlc, requireId } from "./rules.js";

const C = Tags.ColumnDelta;
const D = Tags.RowDelta;
const OMITTED = -1;

/** Lengths and JSON texts from the sizing pass, read back in the same order by the writing pass. */
export class EncodePlan {
  readonly lengths: number[] = [];
  readonly texts: string[] = [];
  nextLength = 0;
  nextText = 0;

  /** The next recorded length. */
  length(): number {
    return this.lengths[this.nextLength++] ?? 0;
  }

  /** The next recorded JSON text. */
  text(): string {
    return this.texts[this.nextText++] ?? "";
  }
}

/** The UTF-8 length of a required string field; throws for an empty or ill-formed one. */
export function measureId(value: unknown, field: string): number {
  const length = utf8Length(requireId(value, field));
  if (length < 0) fail("INVALID_UTF8", field, "holds a lone surrogate");
  return length;
}

/** Sizes one `ColumnDelta` field (tag, length and body) and records its lengths. */
export function sizeColumnField(plan: EncodePlan, column: ColumnDelta): number {
  if (typeof column !== "object" || column === null) fail("INVALID_FIELD", "", "not an object");
  const nameLength = measureId(column.column, "column");
  let text: string;
  try {
    text = serialiseColumnValue(column.value);
  } catch (error) {
    return within(error, "value");
  }
  const textLength = utf8Length(text);
  const body = delimitedSize(nameLength) + delimitedSize(textLength);
  plan.lengths.push(body, nameLength, textLength);
  plan.texts.push(text);
  return delimitedSize(body);
}

/** Writes one `ColumnDelta` field sized by {@link sizeColumnField}. */
export function writeColumnField(
  writer: WireWriter,
  tag: number,
  plan: EncodePlan,
  column: ColumnDelta,
): void {
  writer.varint(tag);
  writer.varint(plan.length());
  writer.varint(C.column);
  writer.string(column.column, plan.length());
  writer.varint(C.value);
  writer.string(plan.text(), plan.length());
}

/** Sizes the columns of a delta or row, prefixing failures with their index. */
export function sizeColumns(plan: EncodePlan, columns: readonly ColumnDelta[]): number {
  if (!Array.isArray(columns)) fail("INVALID_FIELD", "columns", "not an array");
  let size = 0;
  for (let i = 0; i < columns.length; i++) {
    try {
      size += sizeColumnField(plan, columns[i] as ColumnDelta);
    } catch (error) {
      within(error, `columns[${i}]`);
    }
  }
  return size;
}

/**
 * Sizes one `RowDelta` field and records its lengths. A `clientId` equal to `inheritedClientId`
 * (a push's own id) is left out of the bytes. Throws a `Failure` for a delta that breaks a rule.
 */
export function sizeDeltaField(
  plan: EncodePlan,
  delta: RowDelta,
  inheritedClientId: string,
): number {
  if (typeof delta !== "object" || delta === null) fail("INVALID_FIELD", "", "not an object");
  const slot = plan.lengths.length;
  plan.lengths.push(0);
  opToNumber(delta.op);
  const tableLength = measureId(delta.table, "table");
  const rowIdLength = measureId(delta.rowId, "rowId");
  const inherit = delta.clientId === inheritedClientId && inheritedClientId !== "";
  const clientIdLength = inherit ? OMITTED : measureId(delta.clientId, "clientId");
  const hlc = requireHlc(delta.hlc, "hlc");
  if (typeof delta.deltaId !== "string" || !isDeltaIdHex(delta.deltaId)) {
    fail("INVALID_DELTA_ID", "deltaId", "must be 64 lower-case hex characters");
  }
  plan.lengths.push(tableLength, rowIdLength, clientIdLength);
  const columnsSize = sizeColumns(plan, delta.columns);
  checkColumnSet(delta.op, delta.columns);
  const body =
    2 + // op: tag and a one-byte enum number
    delimitedSize(tableLength) +
    delimitedSize(rowIdLength) +
    columnsSize +
    (hlc === 0n ? 0 : 9) +
    (inherit ? 0 : delimitedSize(clientIdLength)) +
    delimitedSize(DELTA_ID_BYTES);
  plan.lengths[slot] = body;
  return delimitedSize(body);
}

/** Writes one `RowDelta` field sized by {@link sizeDeltaField}. */
export function writeDeltaField(
  writer: WireWriter,
  tag: number,
  plan: EncodePlan,
  delta: RowDelta,
): void {
  writer.varint(tag);
  writer.varint(plan.length());
  const tableLength = plan.length();
  const rowIdLength = plan.length();
  const clientIdLength = plan.length();
  writer.varint(D.op);
  writer.varint(OP_NUMBERS[delta.op]);
  writer.varint(D.table);
  writer.string(delta.table, tableLength);
  writer.varint(D.rowId);
  writer.string(delta.rowId, rowIdLength);
  for (const column of delta.columns) writeColumnField(writer, D.columns, plan, column);
  if (delta.hlc !== 0n) {
    writer.varint(D.hlc);
    writer.fixed64(delta.hlc);
  }
  if (clientIdLength !== OMITTED) {
    writer.varint(D.clientId);
    writer.string(delta.clientId, clientIdLength);
  }
  writer.varint(D.deltaId);
  writer.deltaId(delta.deltaId);
}

/** Sizes a list of `RowDelta` fields named `field`, prefixing failures with their index. */
export function sizeDeltaFields(
  plan: EncodePlan,
  deltas: readonly RowDelta[],
  field: string,
  inheritedClientId: string,
): number {
  if (!Array.isArray(deltas)) fail("INVALID_FIELD", field, "not an array");
  let size = 0;
  for (let i = 0; i < deltas.length; i++) {
    try {
      size += sizeDeltaField(plan, deltas[i] as RowDelta, inheritedClientId);
    } catch (error) {
      within(error, `${field}[${i}]`);
    }
  }
  return size;
}

/** Writes a list of `RowDelta` fields sized by {@link sizeDeltaFields}. */
export function writeDeltaFields(
  writer: WireWriter,
  tag: number,
  plan: EncodePlan,
  deltas: readonly RowDelta[],
): void {
  for (const delta of deltas) writeDeltaField(writer, tag, plan, delta);
}
