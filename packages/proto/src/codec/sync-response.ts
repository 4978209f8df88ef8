/**
 * @module codec/sync-response
 * `SyncResponse` (gateway to client): the acknowledgement of a push or one page of a pull.
 */
import type { HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import { finishDeltas, readDeltaField } from "../delta/read-delta.js";
import { requireHlc } from "../delta/rules.js";
import { sizeDeltaFields, writeDeltaFields } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import type { DecodeOptions, DeltaRefusal, RowRef, SyncResponse } from "../types.js";
import { fail } from "../wire/failure.js";
import { Tags } from "../wire/tags.js";
import { decodeMessage, encodeMessage, fixed64Size, writeFixed64Field } from "./boundary.js";
import {
  ROW_REF_FIELDS as ROW_REF,
  readRecord,
  type StringFields,
  sizeRecords,
  writeRecords,
} from "./string-records.js";

const R = Tags.SyncResponse;
const REFUSAL: StringFields<DeltaRefusal> = {
  deltaId: { tag: Tags.DeltaRefusal.deltaId },
  table: { tag: Tags.DeltaRefusal.table },
  rowId: { tag: Tags.DeltaRefusal.rowId },
  code: { tag: Tags.DeltaRefusal.code },
  message: { tag: Tags.DeltaRefusal.message, optional: true },
};

/**
 * Encodes a response. Returns `Err(WireError)` for a delta that breaks a rule of the protocol, a
 * server HLC that is not an unsigned 64-bit bigint or a `hasMore` that is not a boolean.
 */
export function encodeSyncResponse(response: SyncResponse): Result<Uint8Array, WireError> {
  return encodeMessage(
    "SyncResponse",
    response,
    (plan) => {
      if (typeof response.hasMore !== "boolean") fail("INVALID_FIELD", "hasMore", "not a boolean");
      return (
        sizeDeltaFields(plan, response.deltas, "deltas", "") +
        fixed64Size(requireHlc(response.serverHlc, "serverHlc")) +
        (response.hasMore ? 2 : 0) +
        sizeRecords(plan, response.refused, REFUSAL, "refused") +
        sizeRecords(plan, response.evicted, ROW_REF, "evicted")
      );
    },
    (writer, plan) => {
      writeDeltaFields(writer, R.deltas, plan, response.deltas);
      writeFixed64Field(writer, R.serverHlc, response.serverHlc);
      if (response.hasMore) {
        writer.varint(R.hasMore);
        writer.varint(1);
      }
      writeRecords(writer, R.refused, plan, response.refused, REFUSAL);
      writeRecords(writer, R.evicted, plan, response.evicted, ROW_REF);
    },
  );
}

/** Decodes a response; never throws (see `decodeSyncPush` for the errors). */
export function decodeSyncResponse(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Result<SyncResponse, WireError> {
  return decodeMessage("SyncResponse", bytes, (reader, end) => {
    let serverHlc = 0n;
    let hasMore = false;
    const deltas: RowDelta[] = [];
    const refused: DeltaRefusal[] = [];
    const evicted: RowRef[] = [];
    while (reader.pos < end) {
      const tag = reader.tag();
      if (tag === R.deltas) readDeltaField(reader, deltas, "deltas");
      else if (tag === R.serverHlc) serverHlc = reader.fixed64();
      else if (tag === R.hasMore) hasMore = reader.bool();
      else if (tag === R.refused) readRecord(reader, refused, REFUSAL, "refused");
      else if (tag === R.evicted) readRecord(reader, evicted, ROW_REF, "evicted");
      else reader.skipUnknown(tag, 5);
    }
    finishDeltas(deltas, "deltas", "", options);
    return {
      deltas,
      serverHlc: serverHlc as HLCTimestamp,
      hasMore,
      ...(refused.length > 0 ? { refused } : {}),
      ...(evicted.length > 0 ? { evicted } : {}),
    };
  });
}
