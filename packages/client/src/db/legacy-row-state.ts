/**
 * @module db/legacy-row-state
 * The first storage format of merge state: one JSON document per row in `_lakesync_rows`, every
 * column's value repeated with its HLC as a decimal string and its full client id. Only read, to
 * migrate databases written before the stamp tables (see migrate-row-states.ts).
 */
import { type ColumnCell, type ColumnValue, parseHLC, type RowState, setOwn } from "@lakesync/core";

interface LegacyStamp {
  readonly hlc: string;
  readonly clientId: string;
}
interface LegacyState {
  readonly c: Record<string, LegacyStamp & { readonly v: ColumnValue }>;
  readonly d?: LegacyStamp;
}

function isStamp(value: unknown): value is LegacyStamp {
  const stamp = value as Partial<LegacyStamp> | null;
  return (
    typeof stamp === "object" &&
    stamp !== null &&
    typeof stamp.hlc === "string" &&
    typeof stamp.clientId === "string"
  );
}

/** Parses a format-1 row state; `undefined` when the text is not a valid state. */
export function decodeLegacyRowState(text: string): RowState | undefined {
  let raw: LegacyState;
  try {
    raw = JSON.parse(text) as LegacyState;
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || typeof raw.c !== "object" || raw.c === null)
    return undefined;
  const columns: Record<string, ColumnCell> = {};
  for (const [name, cell] of Object.entries(raw.c)) {
    if (!isStamp(cell)) return undefined;
    const hlc = parseHLC(cell.hlc);
    if (!hlc.ok) return undefined;
    setOwn(columns, name, { value: cell.v ?? null, hlc: hlc.value, clientId: cell.clientId });
  }
  if (raw.d === undefined) return { columns };
  if (!isStamp(raw.d)) return undefined;
  const deleted = parseHLC(raw.d.hlc);
  if (!deleted.ok) return undefined;
  return { columns, deleted: { hlc: deleted.value, clientId: raw.d.clientId } };
}
