/**
 * @module codec/checkpoint
 * `CheckpointChunk` (gateway to client): one chunk of a table's checkpoint for the initial sync,
 * carrying either materialised rows or deltas of that table.
 */
import type { HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import { finishDeltas, readDeltaField } from "../delta/read-delta.js";
import { requireHlc, requireId } from "../delta/rules.js";
import { measureId, sizeDeltaFields, writeDeltaFields } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import type { CheckpointChunk, CheckpointRow, DecodeOptions } from "../types.js";
import { fail } from "../wire/failure.js";
import { expectEnd, type WireReader } from "../wire/reader.js";
import { Tags } from "../wire/tags.js";
import { delimitedSize, varintSize } from "../wire/writer.js";
import { decodeMessage, encodeMessage, fixed64Size, writeFixed64Field } from "./boundary.js";
import { readRowField, sizeRowFields, writeRowField } from "./checkpoint-row.js";

const K = Tags.CheckpointChunk;

function checkPosition(index: unknown, count: unknown): void {
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 0xffff_ffff) {
    fail("INVALID_FIELD", "chunkCount", "must be an integer in [1, 2^32)");
  }
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) {
    fail("INVALID_FIELD", "chunkIndex", `must be an integer in [0, chunkCount = ${count})`);
  }
}

function checkTables(deltas: readonly RowDelta[], table: string): void {
  for (let i = 0; i < deltas.length; i++) {
    if ((deltas[i] as RowDelta).table !== table) {
      fail("INVALID_FIELD", `deltas[${i}].table`, `not the chunk's table ${JSON.stringify(table)}`);
    }
  }
}

/**
 * Encodes a checkpoint chunk. Returns `Err(WireError)` for an empty table name, a position
 * outside `0 <= chunkIndex < chunkCount`, a row or delta that breaks a rule of the protocol, or a
 * delta of another table.
 */
export function encodeCheckpointChunk(chunk: CheckpointChunk): Result<Uint8Array, WireError> {
  return encodeMessage(
    "CheckpointChunk",
    chunk,
    (plan) => {
      const tableLength = measureId(chunk.table, "table");
      checkPosition(chunk.chunkIndex, chunk.chunkCount);
      const { payload } = chunk;
      const slot = plan.lengths.length;
      plan.lengths.push(tableLength, 0);
      let body = 0;
      if (payload?.kind === "rows") {
        body = sizeRowFields(plan, payload.rows);
      } else if (payload?.kind === "deltas") {
        body = sizeDeltaFields(plan, payload.deltas, "deltas", "");
        checkTables(payload.deltas, chunk.table);
      } else {
        fail("INVALID_FIELD", "payload", "must have kind rows or deltas");
      }
      plan.lengths[slot + 1] = body;
      return (
        delimitedSize(tableLength) +
        delimitedSize(body) +
        (chunk.chunkIndex === 0 ? 0 : 1 + varintSize(chunk.chunkIndex)) +
        1 +
        varintSize(chunk.chunkCount) +
        fixed64Size(requireHlc(chunk.snapshotHlc, "snapshotHlc"))
      );
    },
    (writer, plan) => {
      writer.varint(K.table);
      writer.string(chunk.table, plan.length());
      const { payload } = chunk;
      writer.varint(payload.kind === "rows" ? K.rows : K.deltas);
      writer.varint(plan.length());
      if (payload.kind === "rows") {
        for (const row of payload.rows) writeRowField(writer, Tags.CheckpointRows.rows, plan, row);
      } else {
        writeDeltaFields(writer, Tags.CheckpointDeltas.deltas, plan, payload.deltas);
      }
      if (chunk.chunkIndex !== 0) {
        writer.varint(K.chunkIndex);
        writer.varint(chunk.chunkIndex);
      }
      writer.varint(K.chunkCount);
      writer.varint(chunk.chunkCount);
      writeFixed64Field(writer, K.snapshotHlc, chunk.snapshotHlc);
    },
  );
}

/** Reads the body of a `CheckpointRows` or `CheckpointDeltas` payload ending at `end`. */
function readPayload(
  reader: WireReader,
  end: number,
  rows: CheckpointRow[] | undefined,
  deltas: RowDelta[] | undefined,
): void {
  while (reader.pos < end) {
    const tag = reader.tag();
    // Both payload messages hold one repeated field, number 1.
    if (tag === Tags.CheckpointRows.rows && rows) readRowField(reader, rows);
    else if (tag === Tags.CheckpointDeltas.deltas && deltas)
      readDeltaField(reader, deltas, "deltas");
    else reader.skipUnknown(tag, 1);
  }
  expectEnd(reader, end);
}

/**
 * Decodes a checkpoint chunk; never throws (see `decodeSyncPush` for the errors). A chunk
 * without a payload, with a position outside `0 <= chunkIndex < chunkCount` or with a delta of
 * another table is an `INVALID_FIELD`.
 */
export function decodeCheckpointChunk(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Result<CheckpointChunk, WireError> {
  return decodeMessage("CheckpointChunk", bytes, (reader, end) => {
    let table = "";
    let rows: CheckpointRow[] | undefined;
    let deltas: RowDelta[] | undefined;
    let chunkIndex = 0;
    let chunkCount = 0;
    let snapshotHlc = 0n;
    while (reader.pos < end) {
      const tag = reader.tag();
      // A oneof: a repeated member merges into the current payload, the other member replaces it.
      if (tag === K.rows) {
        deltas = undefined;
        rows ??= [];
        readPayload(reader, reader.lengthEnd(), rows, undefined);
      } else if (tag === K.deltas) {
        rows = undefined;
        deltas ??= [];
        readPayload(reader, reader.lengthEnd(), undefined, deltas);
      } else if (tag === K.table) table = reader.string("table");
      else if (tag === K.chunkIndex) chunkIndex = reader.uint32();
      else if (tag === K.chunkCount) chunkCount = reader.uint32();
      else if (tag === K.snapshotHlc) snapshotHlc = reader.fixed64();
      else reader.skipUnknown(tag, 6);
    }
    requireId(table, "table");
    checkPosition(chunkIndex, chunkCount);
    const position = { chunkIndex, chunkCount, snapshotHlc: snapshotHlc as HLCTimestamp };
    if (rows) return { table, payload: { kind: "rows", rows }, ...position };
    if (!deltas) return fail("INVALID_FIELD", "payload", "missing: a chunk carries rows or deltas");
    finishDeltas(deltas, "deltas", "", options);
    checkTables(deltas, table);
    return { table, payload: { kind: "deltas", deltas }, ...position };
  });
}
