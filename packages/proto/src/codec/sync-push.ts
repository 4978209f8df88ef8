/**
 * @module codec/sync-push
 * `SyncPush` (client to gateway): the deltas of a client's outbox.
 */
import type { HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import { finishDeltas, readDeltaField } from "../delta/read-delta.js";
import { requireHlc, requireId } from "../delta/rules.js";
import { measureId, sizeDeltaFields, writeDeltaFields } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import type { DecodeOptions, SyncPush } from "../types.js";
import { Tags } from "../wire/tags.js";
import { delimitedSize } from "../wire/writer.js";
import { decodeMessage, encodeMessage, fixed64Size, writeFixed64Field } from "./boundary.js";

const P = Tags.SyncPush;

/**
 * Encodes a push. Deltas made by the pushing client travel without their `clientId` (the
 * decoder restores it). Returns `Err(WireError)` for an empty client id, a delta that breaks a
 * rule of the protocol (see `WireErrorReason`) or a column value that is not JSON.
 *
 * @example
 * const bytes = encodeSyncPush({ clientId: "phone", deltas, lastSeenHlc: HLC_ZERO });
 */
export function encodeSyncPush(push: SyncPush): Result<Uint8Array, WireError> {
  return encodeMessage(
    "SyncPush",
    push,
    (plan) => {
      const idLength = measureId(push.clientId, "clientId");
      plan.lengths.push(idLength);
      const deltas = sizeDeltaFields(plan, push.deltas, "deltas", push.clientId);
      return (
        delimitedSize(idLength) + deltas + fixed64Size(requireHlc(push.lastSeenHlc, "lastSeenHlc"))
      );
    },
    (writer, plan) => {
      writer.varint(P.clientId);
      writer.string(push.clientId, plan.length());
      writeDeltaFields(writer, P.deltas, plan, push.deltas);
      writeFixed64Field(writer, P.lastSeenHlc, push.lastSeenHlc);
    },
  );
}

/**
 * Decodes a push. Never throws: truncated, random or hostile bytes give `Err(WireError)` whose
 * `reason` says what was wrong (`TRUNCATED`, `MALFORMED`, `INVALID_UTF8`, `INVALID_JSON`,
 * `INVALID_ENUM`, `INVALID_DELTA_ID`, `INVALID_FIELD`) and whose `path` says where.
 */
export function decodeSyncPush(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Result<SyncPush, WireError> {
  return decodeMessage("SyncPush", bytes, (reader, end) => {
    let clientId = "";
    let lastSeenHlc = 0n;
    const deltas: RowDelta[] = [];
    while (reader.pos < end) {
      const tag = reader.tag();
      if (tag === P.deltas) readDeltaField(reader, deltas, "deltas");
      else if (tag === P.clientId) clientId = reader.string("clientId");
      else if (tag === P.lastSeenHlc) lastSeenHlc = reader.fixed64();
      else reader.skipUnknown(tag, 3);
    }
    requireId(clientId, "clientId");
    finishDeltas(deltas, "deltas", clientId, options);
    return { clientId, deltas, lastSeenHlc: lastSeenHlc as HLCTimestamp };
  });
}
