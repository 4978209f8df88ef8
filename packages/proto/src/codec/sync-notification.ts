/**
 * @module codec/sync-notification
 * `SyncNotification` (gateway to a subscribed client, over the realtime channel): something
 * changed, or the subscriber's new deltas themselves with the log range they cover.
 */
import type { HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import { finishDeltas, readDeltaField } from "../delta/read-delta.js";
import { requireHlc, requireId } from "../delta/rules.js";
import { measureId, sizeDeltaFields, writeDeltaFields } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import type { DecodeOptions, RowRef, SyncNotification } from "../types.js";
import { fail, within } from "../wire/failure.js";
import { Tags } from "../wire/tags.js";
import { delimitedSize } from "../wire/writer.js";
import { decodeMessage, encodeMessage, fixed64Size, writeFixed64Field } from "./boundary.js";
import { ROW_REF_FIELDS, readRecord, sizeRecords, writeRecords } from "./string-records.js";

const N = Tags.SyncNotification;
/** `NOTIFICATION_KIND_DELTAS` in the schema. */
const KIND_DELTAS = 1;

/**
 * Encodes a notification. Returns `Err(WireError)` for an empty table name, a delta or evicted
 * row that breaks a rule of the protocol, an unknown `kind`, or an HLC that is not an unsigned
 * 64-bit bigint. `sinceHlc` is written only with kind `deltas`.
 */
export function encodeSyncNotification(
  notification: SyncNotification,
): Result<Uint8Array, WireError> {
  let inline = false;
  return encodeMessage(
    "SyncNotification",
    notification,
    (plan) => {
      const { tables, kind } = notification;
      if (!Array.isArray(tables)) fail("INVALID_FIELD", "tables", "not an array");
      if (kind !== undefined && kind !== "changed" && kind !== "deltas")
        fail("INVALID_FIELD", "kind", "must be changed or deltas");
      inline = kind === "deltas";
      let size = fixed64Size(requireHlc(notification.serverHlc, "serverHlc"));
      for (let i = 0; i < tables.length; i++) {
        const length = measureId(tables[i], `tables[${i}]`);
        plan.lengths.push(length);
        size += delimitedSize(length);
      }
      size += sizeDeltaFields(plan, notification.deltas, "deltas", "");
      if (inline) size += 2 + fixed64Size(requireHlc(notification.sinceHlc ?? 0n, "sinceHlc"));
      return size + sizeRecords(plan, notification.evicted, ROW_REF_FIELDS, "evicted");
    },
    (writer, plan) => {
      writeFixed64Field(writer, N.serverHlc, notification.serverHlc);
      for (const table of notification.tables) {
        writer.varint(N.tables);
        writer.string(table, plan.length());
      }
      writeDeltaFields(writer, N.deltas, plan, notification.deltas);
      if (inline) {
        writer.varint(N.kind);
        writer.varint(KIND_DELTAS);
        writeFixed64Field(writer, N.sinceHlc, notification.sinceHlc ?? 0n);
      }
      writeRecords(writer, N.evicted, plan, notification.evicted, ROW_REF_FIELDS);
    },
  );
}

/**
 * Decodes a notification; never throws (see `decodeSyncPush` for the errors). A kind this
 * version does not know decodes as `changed` (without `kind`): the client pulls.
 */
export function decodeSyncNotification(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Result<SyncNotification, WireError> {
  return decodeMessage("SyncNotification", bytes, (reader, end) => {
    let serverHlc = 0n;
    let sinceHlc = 0n;
    let kind = 0;
    const tables: string[] = [];
    const deltas: RowDelta[] = [];
    const evicted: RowRef[] = [];
    while (reader.pos < end) {
      const tag = reader.tag();
      if (tag === N.deltas) {
        readDeltaField(reader, deltas, "deltas");
      } else if (tag === N.tables) {
        const field = `tables[${tables.length}]`;
        try {
          tables.push(requireId(reader.string(""), ""));
        } catch (error) {
          within(error, field);
        }
      } else if (tag === N.serverHlc) {
        serverHlc = reader.fixed64();
      } else if (tag === N.kind) {
        kind = reader.uint32();
      } else if (tag === N.sinceHlc) {
        sinceHlc = reader.fixed64();
      } else if (tag === N.evicted) {
        readRecord(reader, evicted, ROW_REF_FIELDS, "evicted");
      } else {
        reader.skipUnknown(tag, 6);
      }
    }
    finishDeltas(deltas, "deltas", "", options);
    return {
      serverHlc: serverHlc as HLCTimestamp,
      tables,
      deltas,
      ...(kind === KIND_DELTAS
        ? { kind: "deltas" as const, sinceHlc: sinceHlc as HLCTimestamp }
        : {}),
      ...(evicted.length > 0 ? { evicted } : {}),
    };
  });
}
