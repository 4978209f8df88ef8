/**
 * @module flush/json-envelope
 * The versioned JSON envelope of a `.json` flush file.
 */
import type { ColumnValue, DeltaOp, HLCTimestamp } from "@lakesync/core";
import type { LogEntry } from "../log/log-entry.js";

/** A delta inside a JSON envelope: HLCs as decimal strings, columns as an ordered list. */
export interface EnvelopeDelta {
  readonly op: DeltaOp;
  readonly table: string;
  readonly rowId: string;
  readonly clientId: string;
  readonly hlc: string;
  readonly seq: string;
  readonly deltaId: string;
  readonly columns: readonly { readonly column: string; readonly value: ColumnValue }[];
}

/** Version 1 of the envelope (DESIGN.md, "Lake layout"). */
export interface FlushEnvelope {
  readonly version: 1;
  readonly gatewayId: string;
  readonly createdAt: string;
  readonly hlcRange: { readonly min: string; readonly max: string };
  readonly deltaCount: number;
  /** Byte length of the encoded `deltas` array. */
  readonly byteSize: number;
  readonly deltas: readonly EnvelopeDelta[];
}

/** Encodes entries as a version-1 envelope, UTF-8. */
export function encodeEnvelope(
  gatewayId: string,
  entries: readonly LogEntry[],
  range: { min: HLCTimestamp; max: HLCTimestamp },
  at: Date,
): Uint8Array {
  const deltas: EnvelopeDelta[] = entries.map(({ seq, delta }) => ({
    op: delta.op,
    table: delta.table,
    rowId: delta.rowId,
    clientId: delta.clientId,
    hlc: delta.hlc.toString(),
    seq: seq.toString(),
    deltaId: delta.deltaId,
    columns: delta.columns,
  }));
  const body = JSON.stringify(deltas);
  const head = {
    version: 1,
    gatewayId,
    createdAt: at.toISOString(),
    hlcRange: { min: range.min.toString(), max: range.max.toString() },
    deltaCount: deltas.length,
    byteSize: new TextEncoder().encode(body).byteLength,
  };
  const json = `${JSON.stringify(head).slice(0, -1)},"deltas":${body}}`;
  return new TextEncoder().encode(json);
}
