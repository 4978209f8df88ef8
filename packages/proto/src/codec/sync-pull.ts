/**
 * @module codec/sync-pull
 * `SyncPull` (client to gateway): a request for the deltas after an HLC.
 */
import type { HLCTimestamp, Result } from "@lakesync/core";
import { requireHlc, requireId } from "../delta/rules.js";
import { measureId } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import type { SyncPull } from "../types.js";
import { fail } from "../wire/failure.js";
import { Tags } from "../wire/tags.js";
import { delimitedSize, varintSize } from "../wire/writer.js";
import { decodeMessage, encodeMessage, fixed64Size, writeFixed64Field } from "./boundary.js";

const P = Tags.SyncPull;

function requireUint32(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    return fail("INVALID_FIELD", field, "must be an integer in [0, 2^32)");
  }
  return value;
}

/**
 * Encodes a pull request. Returns `Err(WireError)` for an empty client id, an HLC that is not an
 * unsigned 64-bit bigint or a `maxDeltas` that is not an unsigned 32-bit integer.
 */
export function encodeSyncPull(pull: SyncPull): Result<Uint8Array, WireError> {
  return encodeMessage(
    "SyncPull",
    pull,
    (plan) => {
      const idLength = measureId(pull.clientId, "clientId");
      plan.lengths.push(idLength);
      const max = requireUint32(pull.maxDeltas, "maxDeltas");
      return (
        delimitedSize(idLength) +
        fixed64Size(requireHlc(pull.sinceHlc, "sinceHlc")) +
        (max === 0 ? 0 : 1 + varintSize(max))
      );
    },
    (writer, plan) => {
      writer.varint(P.clientId);
      writer.string(pull.clientId, plan.length());
      writeFixed64Field(writer, P.sinceHlc, pull.sinceHlc);
      if (pull.maxDeltas !== 0) {
        writer.varint(P.maxDeltas);
        writer.varint(pull.maxDeltas);
      }
    },
  );
}

/** Decodes a pull request; never throws (see `decodeSyncPush` for the errors). */
export function decodeSyncPull(bytes: Uint8Array): Result<SyncPull, WireError> {
  return decodeMessage("SyncPull", bytes, (reader, end) => {
    let clientId = "";
    let sinceHlc = 0n;
    let maxDeltas = 0;
    while (reader.pos < end) {
      const tag = reader.tag();
      if (tag === P.clientId) clientId = reader.string("clientId");
      else if (tag === P.sinceHlc) sinceHlc = reader.fixed64();
      else if (tag === P.maxDeltas) maxDeltas = reader.uint32();
      else reader.skipUnknown(tag, 3);
    }
    requireId(clientId, "clientId");
    return { clientId, sinceHlc: sinceHlc as HLCTimestamp, maxDeltas };
  });
}
