/**
 * @module codec/sync-notification
 * `SyncNotification` (gateway to a subscribed client, over the realtime channel): something
 * changed, optionally with the new deltas inline.
 */
import type { HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import { finishDeltas, readDeltaField } from "../delta/read-delta.js";
import { requireHlc, requireId } from "../delta/rules.js";
import { measureId, sizeDeltaFields, writeDeltaFields } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import type { DecodeOptions, SyncNotification } from "../types.js";
import { fail, within } from "../wire/failure.js";
import { Tags } from "../wire/tags.js";
import { delimitedSize } from "../wire/writer.js";
import { decodeMessage, encodeMessage, fixed64Size, writeFixed64Field } from "./boundary.js";

const N = Tags.SyncNotification;

/**
 * Encodes a notification. Returns `Err(WireError)` for an empty table name, a delta that breaks
 * a rule of the protocol or a server HLC that is not an unsigned 64-bit bigint.
 */
export function encodeSyncNotification(
  notification: SyncNotification,
): Result<Uint8Array, WireError> {
  return encodeMessage(
    "SyncNotification",
    notification,
    (plan) => {
      const { tables } = notification;
      if (!Array.isArray(tables)) fail("INVALID_FIELD", "tables", "not an array");
      let size = fixed64Size(requireHlc(notification.serverHlc, "serverHlc"));
      for (let i = 0; i < tables.length; i++) {
        const length = measureId(tables[i], `tables[${i}]`);
        plan.lengths.push(length);
        size += delimitedSize(length);
      }
      return size + sizeDeltaFields(plan, notification.deltas, "deltas", "");
    },
    (writer, plan) => {
      writeFixed64Field(writer, N.serverHlc, notification.serverHlc);
      for (const table of notification.tables) {
        writer.varint(N.tables);
        writer.string(table, plan.length());
      }
      writeDeltaFields(writer, N.deltas, plan, notification.deltas);
    },
  );
}

/** Decodes a notification; never throws (see `decodeSyncPush` for the errors). */
export function decodeSyncNotification(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Result<SyncNotification, WireError> {
  return decodeMessage("SyncNotification", bytes, (reader, end) => {
    let serverHlc = 0n;
    const tables: string[] = [];
    const deltas: RowDelta[] = [];
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
      } else {
        reader.skipUnknown(tag, 3);
      }
    }
    finishDeltas(deltas, "deltas", "", options);
    return { serverHlc: serverHlc as HLCTimestamp, tables, deltas };
  });
}
