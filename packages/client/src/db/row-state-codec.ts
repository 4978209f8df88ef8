/**
 * @module db/row-state-codec
 * JSON form of a row's merge state (per-column values and HLCs), kept beside each row.
 */
import {
  type ColumnCell,
  type ColumnValue,
  type HLCTimestamp,
  parseHLC,
  type RowState,
  setOwn,
} from "@lakesync/core";

interface StoredStamp {
  readonly hlc: string;
  readonly clientId: string;
}
interface StoredState {
  readonly c: Record<string, StoredStamp & { readonly v: ColumnValue }>;
  readonly d?: StoredStamp;
}

/** Serialises a row state; HLCs as decimal strings. */
export function encodeRowState(state: RowState): string {
  const c: StoredState["c"] = {};
  for (const [name, cell] of Object.entries(state.columns)) {
    setOwn(c, name, { v: cell.value, hlc: cell.hlc.toString(), clientId: cell.clientId });
  }
  const stored: StoredState = state.deleted
    ? { c, d: { hlc: state.deleted.hlc.toString(), clientId: state.deleted.clientId } }
    : { c };
  return JSON.stringify(stored);
}

function hlcOf(text: string): HLCTimestamp | undefined {
  const parsed = parseHLC(text);
  return parsed.ok ? parsed.value : undefined;
}

/** Parses a stored row state; `undefined` when the text is not a valid state. */
export function decodeRowState(text: string): RowState | undefined {
  let raw: StoredState;
  try {
    raw = JSON.parse(text) as StoredState;
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || typeof raw.c !== "object") return undefined;
  const columns: Record<string, ColumnCell> = {};
  for (const [name, cell] of Object.entries(raw.c)) {
    const hlc = hlcOf(cell.hlc);
    if (hlc === undefined) return undefined;
    setOwn(columns, name, { value: cell.v, hlc, clientId: cell.clientId });
  }
  if (!raw.d) return { columns };
  const deletedHlc = hlcOf(raw.d.hlc);
  if (deletedHlc === undefined) return undefined;
  return { columns, deleted: { hlc: deletedHlc, clientId: raw.d.clientId } };
}
