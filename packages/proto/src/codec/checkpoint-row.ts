/**
 * @module codec/checkpoint-row
 * `CheckpointRow`: one materialised row inside a checkpoint chunk, read and written field by
 * field like a delta.
 */
import type { ColumnDelta, HLCTimestamp } from "@lakesync/core";
import { readColumnField } from "../delta/read-delta.js";
import { checkColumnSet, requireHlc, requireId } from "../delta/rules.js";
import { type EncodePlan, measureId, sizeColumns, writeColumnField } from "../delta/write-delta.js";
import type { CheckpointRow } from "../types.js";
import { fail, within } from "../wire/failure.js";
import { expectEnd, type WireReader } from "../wire/reader.js";
import { Tags } from "../wire/tags.js";
import { delimitedSize, type WireWriter } from "../wire/writer.js";
import { fixed64Size, writeFixed64Field } from "./boundary.js";

const W = Tags.CheckpointRow;

/** Reads one length-delimited `CheckpointRow` field and appends it to `rows`. */
export function readRowField(reader: WireReader, rows: CheckpointRow[]): void {
  const end = reader.lengthEnd();
  try {
    let rowId = "";
    let clientId = "";
    let hlc = 0n;
    const columns: ColumnDelta[] = [];
    while (reader.pos < end) {
      const tag = reader.tag();
      if (tag === W.columns) readColumnField(reader, columns);
      else if (tag === W.rowId) rowId = reader.string("rowId");
      else if (tag === W.hlc) hlc = reader.fixed64();
      else if (tag === W.clientId) clientId = reader.string("clientId");
      else reader.skipUnknown(tag, 4);
    }
    expectEnd(reader, end);
    requireId(rowId, "rowId");
    requireId(clientId, "clientId");
    checkColumnSet("INSERT", columns);
    rows.push({ rowId, columns, hlc: hlc as HLCTimestamp, clientId });
  } catch (error) {
    within(error, `rows[${rows.length}]`);
  }
}

/** Sizes one `CheckpointRow` field and records its lengths. */
export function sizeRowField(plan: EncodePlan, row: CheckpointRow): number {
  if (typeof row !== "object" || row === null) fail("INVALID_FIELD", "", "not an object");
  const slot = plan.lengths.length;
  plan.lengths.push(0);
  const rowIdLength = measureId(row.rowId, "rowId");
  const clientIdLength = measureId(row.clientId, "clientId");
  const hlc = requireHlc(row.hlc, "hlc");
  plan.lengths.push(rowIdLength, clientIdLength);
  const columns = sizeColumns(plan, row.columns);
  checkColumnSet("INSERT", row.columns);
  const body =
    delimitedSize(rowIdLength) + columns + fixed64Size(hlc) + delimitedSize(clientIdLength);
  plan.lengths[slot] = body;
  return delimitedSize(body);
}

/** Writes one `CheckpointRow` field sized by {@link sizeRowField}. */
export function writeRowField(
  writer: WireWriter,
  tag: number,
  plan: EncodePlan,
  row: CheckpointRow,
): void {
  writer.varint(tag);
  writer.varint(plan.length());
  const rowIdLength = plan.length();
  const clientIdLength = plan.length();
  writer.varint(W.rowId);
  writer.string(row.rowId, rowIdLength);
  for (const column of row.columns) writeColumnField(writer, W.columns, plan, column);
  writeFixed64Field(writer, W.hlc, row.hlc);
  writer.varint(W.clientId);
  writer.string(row.clientId, clientIdLength);
}

/** Sizes a list of `CheckpointRow` fields, prefixing failures with their index. */
export function sizeRowFields(plan: EncodePlan, rows: readonly CheckpointRow[]): number {
  if (!Array.isArray(rows)) fail("INVALID_FIELD", "rows", "not an array");
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    try {
      size += sizeRowField(plan, rows[i] as CheckpointRow);
    } catch (error) {
      within(error, `rows[${i}]`);
    }
  }
  return size;
}
