/**
 * @module mapping/row-delta-message
 * Mapping between the `RowDelta` of @lakesync/core and the message protobuf-es generates from
 * `lakesync.proto`, for code that works with the generated types (reflection, other protobuf
 * tooling). The same rules as the fast codecs apply, so both paths accept the same deltas.
 */
import { create } from "@bufbuild/protobuf";
import type { ColumnDelta, HLCTimestamp, Result, RowDelta } from "@lakesync/core";
import { Err, Ok } from "@lakesync/core";
import { parseColumnValue, serialiseColumnValue } from "../delta/column-value.js";
import {
  checkColumnSet,
  opFromNumber,
  opToNumber,
  requireHlc,
  requireId,
  verifyDeltaId,
} from "../delta/rules.js";
import { measureId } from "../delta/write-delta.js";
import type { WireError } from "../errors.js";
import {
  ColumnDeltaSchema,
  type DeltaOp as DeltaOpNumber,
  type RowDelta as RowDeltaMessage,
  RowDeltaSchema,
} from "../gen/lakesync_pb.js";
import { fail, toWireError, within } from "../wire/failure.js";
import { DELTA_ID_BYTES, deltaIdToHex, isDeltaIdHex, writeDeltaIdHex } from "../wire/hex.js";
import { utf8Length, writeUtf8 } from "../wire/utf8.js";

/** Options of {@link toRowDelta}. */
export interface ToRowDeltaOptions {
  /** The enclosing push's client id, which an empty `clientId` stands for. */
  readonly inheritedClientId?: string;
  /** Check the id against the content, as `DecodeOptions.verifyDeltaIds` does. */
  readonly verifyDeltaIds?: boolean;
}

/** Options of {@link fromRowDelta}. */
export interface FromRowDeltaOptions {
  /** The enclosing push's client id: a delta made by that client leaves `clientId` empty. */
  readonly inheritedClientId?: string;
}

/**
 * Converts a generated `RowDelta` message into a core `RowDelta`. Returns `Err(WireError)` for
 * an unknown op, an empty id, a delta id that is not 32 bytes, a column value that is not UTF-8
 * JSON, columns on a DELETE or a column named twice.
 */
export function toRowDelta(
  message: RowDeltaMessage,
  options: ToRowDeltaOptions = {},
): Result<RowDelta, WireError> {
  try {
    const op = opFromNumber(message.op);
    const columns: ColumnDelta[] = message.columns.map((c, i) => {
      try {
        const column = requireId(c.column, "column");
        try {
          return { column, value: parseColumnValue(c.value, 0, c.value.length) };
        } catch (error) {
          return within(error, "value");
        }
      } catch (error) {
        return within(error, `columns[${i}]`);
      }
    });
    checkColumnSet(op, columns);
    if (message.deltaId.length !== DELTA_ID_BYTES) {
      fail("INVALID_DELTA_ID", "deltaId", `${message.deltaId.length} bytes, expected 32`);
    }
    const delta: RowDelta = {
      op,
      table: requireId(message.table, "table"),
      rowId: requireId(message.rowId, "rowId"),
      clientId: requireId(message.clientId || options.inheritedClientId, "clientId"),
      // A fixed64 always holds a valid timestamp.
      hlc: requireHlc(message.hlc, "hlc") as HLCTimestamp,
      columns,
      deltaId: deltaIdToHex(message.deltaId, 0),
    };
    if (options.verifyDeltaIds === true) verifyDeltaId(delta);
    return Ok(delta);
  } catch (error) {
    return Err(toWireError(error, "RowDelta"));
  }
}

function utf8Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(utf8Length(text));
  writeUtf8(bytes, 0, text);
  return bytes;
}

/**
 * Converts a core `RowDelta` into a generated `RowDelta` message, checking it as the encoders
 * do. Returns `Err(WireError)` for a delta that breaks a rule of the protocol, a delta id that is
 * not 64 lower-case hex characters or a column value that is not JSON.
 */
export function fromRowDelta(
  delta: RowDelta,
  options: FromRowDeltaOptions = {},
): Result<RowDeltaMessage, WireError> {
  try {
    if (typeof delta !== "object" || delta === null) fail("INVALID_FIELD", "", "not an object");
    const op = opToNumber(delta.op) as DeltaOpNumber;
    measureId(delta.table, "table");
    measureId(delta.rowId, "rowId");
    measureId(delta.clientId, "clientId");
    if (typeof delta.deltaId !== "string" || !isDeltaIdHex(delta.deltaId)) {
      fail("INVALID_DELTA_ID", "deltaId", "must be 64 lower-case hex characters");
    }
    if (!Array.isArray(delta.columns)) fail("INVALID_FIELD", "columns", "not an array");
    const columns = delta.columns.map((c, i) => {
      try {
        if (typeof c !== "object" || c === null) fail("INVALID_FIELD", "", "not an object");
        measureId(c.column, "column");
        try {
          return create(ColumnDeltaSchema, {
            column: c.column,
            value: utf8Bytes(serialiseColumnValue(c.value)),
          });
        } catch (error) {
          return within(error, "value");
        }
      } catch (error) {
        return within(error, `columns[${i}]`);
      }
    });
    checkColumnSet(delta.op, delta.columns);
    const deltaId = new Uint8Array(DELTA_ID_BYTES);
    writeDeltaIdHex(deltaId, 0, delta.deltaId);
    const inherited = options.inheritedClientId;
    return Ok(
      create(RowDeltaSchema, {
        op,
        table: delta.table,
        rowId: delta.rowId,
        columns,
        hlc: requireHlc(delta.hlc, "hlc"),
        clientId: inherited !== undefined && inherited === delta.clientId ? "" : delta.clientId,
        deltaId,
      }),
    );
  } catch (error) {
    return Err(toWireError(error, "RowDelta", "INVALID_FIELD"));
  }
}
