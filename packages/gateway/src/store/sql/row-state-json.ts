/**
 * @module store/sql/row-state-json
 * A row's merged state as compact JSON for the SQL store: `{"c":[[column, value, hlc, client],
 * …],"d":[hlc, client]}` with HLCs as decimal strings (JSON numbers cannot hold 64 bits).
 */
import {
  type ColumnCell,
  type ColumnValue,
  Err,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowState,
  setOwn,
} from "@lakesync/core";

/** The JSON text of a state. */
export function encodeRowState(state: RowState): string {
  const cells: [string, ColumnValue, string, string][] = [];
  for (const [name, cell] of Object.entries(state.columns))
    cells.push([name, cell.value, cell.hlc.toString(), cell.clientId]);
  const deleted = state.deleted;
  return JSON.stringify(
    deleted ? { c: cells, d: [deleted.hlc.toString(), deleted.clientId] } : { c: cells },
  );
}

function corrupt(message: string, cause?: unknown): LakeSyncError {
  return new LakeSyncError("STORE_CORRUPT", message, cause === undefined ? {} : { cause });
}

function stamp(hlc: unknown, clientId: unknown): { hlc: HLCTimestamp; clientId: string } | null {
  if (typeof hlc !== "string" || !/^\d{1,20}$/.test(hlc) || typeof clientId !== "string")
    return null;
  return { hlc: BigInt(hlc) as HLCTimestamp, clientId };
}

/** The state of JSON text written by {@link encodeRowState}; `Err(STORE_CORRUPT)` otherwise. */
export function decodeRowState(text: string): Result<RowState, LakeSyncError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return Err(corrupt("a stored row state is not JSON", cause));
  }
  if (typeof parsed !== "object" || parsed === null || !("c" in parsed))
    return Err(corrupt("a stored row state has no cells"));
  const { c, d } = parsed as { c: unknown; d?: unknown };
  if (!Array.isArray(c)) return Err(corrupt("a stored row state has no cells"));
  const columns: Record<string, ColumnCell> = {};
  for (const cell of c) {
    if (!Array.isArray(cell) || cell.length !== 4 || typeof cell[0] !== "string")
      return Err(corrupt("a stored row state has a malformed cell"));
    const written = stamp(cell[2], cell[3]);
    if (!written) return Err(corrupt("a stored row state has a malformed cell stamp"));
    setOwn(columns, cell[0], { value: cell[1] as ColumnValue, ...written });
  }
  if (d === undefined) return Ok({ columns });
  if (!Array.isArray(d)) return Err(corrupt("a stored row state has a malformed tombstone"));
  const deleted = stamp(d[0], d[1]);
  if (!deleted) return Err(corrupt("a stored row state has a malformed tombstone"));
  return Ok({ columns, deleted });
}
