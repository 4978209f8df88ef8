/**
 * @module codec/string-records
 * Small messages made only of string fields (`DeltaRefusal`, `RowRef`), read and written by a
 * description of their fields.
 */

import type { EncodePlan } from "../delta/write-delta.js";
import { measureId } from "../delta/write-delta.js";
import type { RowRef } from "../types.js";
import { fail, within } from "../wire/failure.js";
import { expectEnd, type WireReader } from "../wire/reader.js";
import { Tags } from "../wire/tags.js";
import { utf8Length } from "../wire/utf8.js";
import { delimitedSize, type WireWriter } from "../wire/writer.js";

/** The string fields of a message, by name: their tag, and whether they may be empty. */
export type StringFields<T> = {
  readonly [K in keyof T]: { readonly tag: number; readonly optional?: boolean };
};

/** The fields of a `RowRef` (an evicted row, in pull pages and notifications). */
export const ROW_REF_FIELDS: StringFields<RowRef> = {
  table: { tag: Tags.RowRef.table },
  rowId: { tag: Tags.RowRef.rowId },
};

function measure(value: unknown, field: string, optional: boolean): number {
  if (!optional) return measureId(value, field);
  if (typeof value !== "string") fail("INVALID_FIELD", field, "not a string");
  const length = utf8Length(value);
  if (length < 0) fail("INVALID_UTF8", field, "holds a lone surrogate");
  return length;
}

/** Sizes a list of records as repeated message fields, recording lengths in `plan`. */
export function sizeRecords<T extends Record<keyof T, string>>(
  plan: EncodePlan,
  records: readonly T[] | undefined,
  fields: StringFields<T>,
  name: string,
): number {
  if (records === undefined) return 0;
  if (!Array.isArray(records)) fail("INVALID_FIELD", name, "not an array");
  let size = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    try {
      if (typeof record !== "object" || record === null) fail("INVALID_FIELD", "", "not an object");
      const slot = plan.lengths.length;
      plan.lengths.push(0);
      let body = 0;
      for (const key of Object.keys(fields) as (keyof T & string)[]) {
        const length = measure(record[key], key, fields[key].optional === true);
        plan.lengths.push(length);
        if (length > 0) body += delimitedSize(length);
      }
      plan.lengths[slot] = body;
      size += delimitedSize(body);
    } catch (error) {
      within(error, `${name}[${i}]`);
    }
  }
  return size;
}

/** Writes records sized by {@link sizeRecords}. */
export function writeRecords<T extends Record<keyof T, string>>(
  writer: WireWriter,
  tag: number,
  plan: EncodePlan,
  records: readonly T[] | undefined,
  fields: StringFields<T>,
): void {
  for (const record of records ?? []) {
    writer.varint(tag);
    writer.varint(plan.length());
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const length = plan.length();
      if (length === 0) continue;
      writer.varint(fields[key].tag);
      writer.string(record[key], length);
    }
  }
}

/** Reads one length-delimited record field and appends it to `out`. */
export function readRecord<T extends Record<keyof T, string>>(
  reader: WireReader,
  out: T[],
  fields: StringFields<T>,
  name: string,
): void {
  const end = reader.lengthEnd();
  try {
    const record: Record<string, string> = {};
    const byTag = new Map<number, string>();
    for (const key of Object.keys(fields)) {
      record[key] = "";
      byTag.set(fields[key as keyof T].tag, key);
    }
    while (reader.pos < end) {
      const tag = reader.tag();
      const key = byTag.get(tag);
      if (key === undefined) reader.skipUnknown(tag, 5);
      else record[key] = reader.string(key);
    }
    expectEnd(reader, end);
    for (const key of Object.keys(fields) as (keyof T & string)[])
      if (fields[key].optional !== true && record[key] === "")
        fail("INVALID_FIELD", key, "must not be empty");
    out.push(record as T);
  } catch (error) {
    within(error, `${name}[${out.length}]`);
  }
}
