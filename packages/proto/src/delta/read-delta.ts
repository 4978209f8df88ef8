/**
 * @module delta/read-delta
 * Decoding `RowDelta` and `ColumnDelta` straight from wire bytes into the types of
 * @lakesync/core, with every rule of the protocol checked on the way.
 */
import type { ColumnDelta, DeltaOp, HLCTimestamp, RowDelta } from "@lakesync/core";
import type { DecodeOptions } from "../types.js";
import { fail, within } from "../wire/failure.js";
import { DELTA_ID_BYTES, deltaIdToHex } from "../wire/hex.js";
import { expectEnd, type WireReader } from "../wire/reader.js";
import { Tags } from "../wire/tags.js";
import { parseColumnValue } from "./column-value.js";
import { checkColumnSet, opFromNumber, requireId, verifyDeltaId } from "./rules.js";

const C = Tags.ColumnDelta;
const D = Tags.RowDelta;

/** A decoded delta whose `clientId` the enclosing message may still fill in. */
interface PendingDelta {
  op: DeltaOp;
  table: string;
  rowId: string;
  clientId: string;
  hlc: HLCTimestamp;
  columns: ColumnDelta[];
  deltaId: string;
}

/** Reads the body of a `ColumnDelta` that ends at `end`. */
export function readColumn(reader: WireReader, end: number): ColumnDelta {
  let column = "";
  let valueStart = 0;
  let valueEnd = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === C.column) {
      column = reader.string("column");
    } else if (tag === C.value) {
      valueEnd = reader.lengthEnd();
      valueStart = reader.pos;
      reader.pos = valueEnd;
    } else {
      reader.skipUnknown(tag, 2);
    }
  }
  expectEnd(reader, end);
  requireId(column, "column");
  try {
    return { column, value: parseColumnValue(reader.bytes, valueStart, valueEnd) };
  } catch (error) {
    return within(error, "value");
  }
}

/** Reads one length-delimited `ColumnDelta` field and appends it to `columns`. */
export function readColumnField(reader: WireReader, columns: ColumnDelta[]): void {
  const end = reader.lengthEnd();
  try {
    columns.push(readColumn(reader, end));
  } catch (error) {
    within(error, `columns[${columns.length}]`);
  }
}

function readRowDelta(reader: WireReader, end: number): PendingDelta {
  let op = 0;
  let table = "";
  let rowId = "";
  let clientId = "";
  let hlc = 0n;
  let idStart = 0;
  let idLength = 0;
  const columns: ColumnDelta[] = [];
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag) {
      case D.op:
        op = reader.uint32();
        break;
      case D.table:
        table = reader.string("table");
        break;
      case D.rowId:
        rowId = reader.uniqueString("rowId");
        break;
      case D.columns:
        readColumnField(reader, columns);
        break;
      case D.hlc:
        hlc = reader.fixed64();
        break;
      case D.clientId:
        clientId = reader.string("clientId");
        break;
      case D.deltaId: {
        const idEnd = reader.lengthEnd();
        idStart = reader.pos;
        idLength = idEnd - idStart;
        reader.pos = idEnd;
        break;
      }
      default:
        reader.skipUnknown(tag, 7);
    }
  }
  expectEnd(reader, end);
  const kind = opFromNumber(op);
  requireId(table, "table");
  requireId(rowId, "rowId");
  if (idLength !== DELTA_ID_BYTES) {
    fail("INVALID_DELTA_ID", "deltaId", `${idLength} bytes, expected ${DELTA_ID_BYTES}`);
  }
  checkColumnSet(kind, columns);
  // Any fixed64 is a valid timestamp: 48-bit wall clock and 16-bit counter fill 64 bits.
  const stamp = hlc as HLCTimestamp;
  const id = deltaIdToHex(reader.bytes, idStart);
  return { op: kind, table, rowId, clientId, hlc: stamp, columns, deltaId: id };
}

/** Reads one length-delimited `RowDelta` field and appends it to `deltas`. */
export function readDeltaField(reader: WireReader, deltas: RowDelta[], field: string): void {
  const end = reader.lengthEnd();
  try {
    deltas.push(readRowDelta(reader, end));
  } catch (error) {
    within(error, `${field}[${deltas.length}]`);
  }
}

/**
 * Completes decoded deltas once their message is read: an empty `clientId` becomes
 * `inheritedClientId` (a push's own id) or, where nothing is inherited, an `INVALID_FIELD`;
 * with `verifyDeltaIds`, every id is checked against the delta's content.
 */
export function finishDeltas(
  deltas: RowDelta[],
  field: string,
  inheritedClientId: string,
  options: DecodeOptions,
): void {
  for (let i = 0; i < deltas.length; i++) {
    const delta = deltas[i] as PendingDelta;
    try {
      if (delta.clientId === "") delta.clientId = requireId(inheritedClientId, "clientId");
      if (options.verifyDeltaIds === true) verifyDeltaId(delta);
    } catch (error) {
      within(error, `${field}[${i}]`);
    }
  }
}
