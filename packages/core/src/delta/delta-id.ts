/**
 * @module delta/delta-id
 * Deterministic, content-derived delta identifiers.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import type { HLCTimestamp } from "../hlc/timestamp.js";
import { canonicalJson } from "./canonical-json.js";
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
 * Synchronous and identical in browsers, Node and Workers (pure-JS SHA-256), so a re-pushed
 * delta always has the same id and is applied once.
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
  return flatHex(sha256(utf8ToBytes(canonical)));
}

const HEX = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const codes = new Array<number>(64).fill(0);

/**
 * Lower-case hex of a 32-byte digest as one flat string. Building it by concatenation (as
 * `bytesToHex` does) leaves a rope of 32 pieces that costs about 1 KB per id in V8; a gateway or
 * an outbox holding many deltas pays that per delta.
 */
function flatHex(digest: Uint8Array): string {
  for (let i = 0; i < 32; i++) {
    const byte = digest[i] ?? 0;
    codes[2 * i] = HEX[byte >> 4] ?? 48;
    codes[2 * i + 1] = HEX[byte & 15] ?? 48;
  }
  return String.fromCharCode.apply(null, codes);
}
