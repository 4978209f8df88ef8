/**
 * @module delta/delta-id
 * Deterministic, content-derived delta identifiers.
 */
import type { HLCTimestamp } from "../hlc/timestamp.js";
import { canonicalJson } from "./canonical-json.js";
import { sha256Hex } from "./sha256-hex.js";
import type { ColumnDelta } from "./types.js";

/** The fields a delta id is derived from. */
export interface DeltaIdInput {
  readonly clientId: string;
  readonly hlc: HLCTimestamp;
  readonly table: string;
  readonly rowId: string;
  readonly columns: readonly ColumnDelta[];
}

/**
 * The id of a delta: hex SHA-256 of the stable-key-order serialisation of
 * `{clientId, hlc (decimal string), table, rowId, columns (sorted by name)}`, keys in sorted order
 * and no whitespace (the output of `fast-json-stable-stringify`).
 * Synchronous and identical in browsers, Node and Workers (native SHA-256 where the runtime has
 * one, pure JS elsewhere), so a re-pushed delta always has the same id and is applied once.
 */
export function deltaId(input: DeltaIdInput): string {
  const columns = [...input.columns].sort((a, b) =>
    a.column < b.column ? -1 : a.column > b.column ? 1 : 0,
  );
  // Keys in sorted order, as a stable stringify of the whole object would give.
  let body = "";
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as ColumnDelta;
    body += `${i > 0 ? "," : ""}{"column":${JSON.stringify(c.column)},"value":${canonicalJson(c.value)}}`;
  }
  const canonical = `{"clientId":${JSON.stringify(input.clientId)},"columns":[${body}],"hlc":"${input.hlc}","rowId":${JSON.stringify(input.rowId)},"table":${JSON.stringify(input.table)}}`;
  return sha256Hex(canonical);
}
