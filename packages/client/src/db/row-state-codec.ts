/**
 * @module db/row-state-codec
 * A row's merge state (core's `RowState`) split into what the synced table's row already holds
 * (the values) and the stamps kept beside it, and put back together. Pure: the SQL is in
 * row-state-store.ts.
 *
 * Values live only in the table row, except for cells the row cannot give back, which go to
 * `extra` as JSON with their value:
 * - columns hidden by a newer DELETE (the row holds NULL or does not exist). Their value can only
 *   matter as the tie-break between two writes with the same (hlc, clientId), which only a
 *   misbehaving client produces; keeping it means every replica keeps the same winner, so replicas
 *   converge on the whole merge state, not only on the visible row;
 * - values that do not fit the column's type (the row holds NULL);
 * - columns without a slot (not in the local schema yet, or `id`): the whole cell, stamp included.
 */
import {
  type ColumnCell,
  type ColumnValue,
  compareWrites,
  Err,
  type HLCTimestamp,
  Ok,
  parseHLC,
  type Result,
  type RowState,
  setOwn,
  toHLC,
  valueFitsType,
} from "@lakesync/core";
import { LocalDBError } from "../errors.js";
import type { SlotColumn } from "./stamp-table.js";

/** One column's stamp: how far its HLC is behind the row's newest, and its writer if different. */
export interface StoredSlot {
  readonly behind: bigint;
  readonly client: number | null;
}

/** A row's stamps as stored, HLCs as unsigned 64-bit bigints. */
export interface StoredStamps {
  /** The newest HLC among the slotted cells; `null` when no cell has a slot. */
  readonly hlc: bigint | null;
  /** The interned writer of that newest cell. */
  readonly client: number | null;
  readonly deletedHlc: bigint | null;
  readonly deletedClient: number | null;
  /** JSON of the cells whose value the table row does not hold; `null` when there are none. */
  readonly extra: string | null;
  /** One entry per slot column, in layout order; `null` for a column never written. */
  readonly slots: readonly (StoredSlot | null)[];
}

/** An `extra` entry: `[value]` for a slotted cell, `[value, hlc, client]` for one without a slot. */
type ExtraEntry = readonly [ColumnValue] | readonly [ColumnValue, string, number];

/** The columns a layout gives slots to, with an index by name. */
export interface SlotIndex {
  readonly columns: readonly SlotColumn[];
  readonly index: ReadonlyMap<string, number>;
}

/** Interns client ids (as `_lakesync_clients` does). */
export type RefOf<E> = (clientId: string) => Result<number, E>;
/** Resolves interned client ids. */
export type ClientOf<E> = (ref: number) => Result<string, E>;

/**
 * Splits a state into stored stamps. The table row it goes with must be `materialiseRow(state)`
 * written through `toSqlite` (as `applyDeltas` writes it).
 */
export function encodeRowStamps<E>(
  state: RowState,
  layout: SlotIndex,
  interned: RefOf<E>,
): Result<StoredStamps, E> {
  // Most cells of a row share a writer: ask the interner once per writer.
  let lastClientId: string | undefined;
  let lastRef: Result<number, E> | undefined;
  const refOf = (clientId: string): Result<number, E> => {
    if (clientId !== lastClientId || !lastRef) {
      lastClientId = clientId;
      lastRef = interned(clientId);
    }
    return lastRef;
  };
  const cells: (ColumnCell | null)[] = layout.columns.map(() => null);
  const extra: Record<string, ExtraEntry> = {};
  let hasExtra = false;
  let newest: ColumnCell | undefined;
  for (const [name, cell] of Object.entries(state.columns)) {
    const at = layout.index.get(name);
    const column = at === undefined ? undefined : layout.columns[at];
    if (at === undefined || !column) {
      const ref = refOf(cell.clientId);
      if (!ref.ok) return ref;
      setOwn(extra, name, [cell.value, cell.hlc.toString(), ref.value]);
      hasExtra = true;
      continue;
    }
    cells[at] = cell;
    const hidden = state.deleted !== undefined && compareWrites(cell, state.deleted) <= 0;
    // A value that fits its column comes back from the row as the same canonical JSON (NaN and
    // ±Infinity as null, -0 as 0, as JSON has them); one that does not is stored as NULL.
    if (hidden || !valueFitsType(column.type, cell.value)) {
      setOwn(extra, name, [cell.value]);
      hasExtra = true;
    }
    if (!newest || cell.hlc > newest.hlc) newest = cell;
  }
  let client: number | null = null;
  if (newest) {
    const ref = refOf(newest.clientId);
    if (!ref.ok) return ref;
    client = ref.value;
  }
  const slots: (StoredSlot | null)[] = [];
  for (const cell of cells) {
    if (!cell || !newest) {
      slots.push(null);
      continue;
    }
    const ref = refOf(cell.clientId);
    if (!ref.ok) return ref;
    const behind = cell.hlc === newest.hlc ? 0n : newest.hlc - cell.hlc;
    slots.push({ behind, client: ref.value === client ? null : ref.value });
  }
  let deletedClient: number | null = null;
  if (state.deleted) {
    const ref = refOf(state.deleted.clientId);
    if (!ref.ok) return ref;
    deletedClient = ref.value;
  }
  return Ok({
    hlc: newest ? newest.hlc : null,
    client,
    deletedHlc: state.deleted ? state.deleted.hlc : null,
    deletedClient,
    extra: hasExtra ? JSON.stringify(extra) : null,
    slots,
  });
}

const corrupt = (why: string) => Err(new LocalDBError(`corrupt merge stamps: ${why}`));

function hlcOf(value: bigint): Result<HLCTimestamp, LocalDBError> {
  const hlc = toHLC(value);
  return hlc.ok ? hlc : corrupt(`HLC ${value} out of range`);
}

function parseExtra(text: string | null): Result<Record<string, ExtraEntry>, LocalDBError> {
  if (text === null) return Ok({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return Err(new LocalDBError("corrupt merge stamps: extra is not JSON", { cause }));
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return corrupt("extra is not an object");
  for (const entry of Object.values(parsed)) {
    const valid =
      Array.isArray(entry) &&
      (entry.length === 1 ||
        (entry.length === 3 && typeof entry[1] === "string" && typeof entry[2] === "number"));
    if (!valid) return corrupt("malformed extra entry");
  }
  return Ok(parsed as Record<string, ExtraEntry>);
}

/**
 * Puts a state back together from stored stamps and the values of the table row (one per slot
 * column, `null` when the row does not exist). The table row is the value of record: a value
 * changed there by plain SQL is the value the merge sees. `Err(LocalDBError)` when the stamps are
 * malformed.
 */
export function decodeRowStamps<E>(
  stored: StoredStamps,
  values: readonly ColumnValue[] | null,
  layout: SlotIndex,
  clientOf: ClientOf<E>,
): Result<RowState, E | LocalDBError> {
  const extra = parseExtra(stored.extra);
  if (!extra.ok) return extra;
  const columns: Record<string, ColumnCell> = {};
  for (const [at, slot] of stored.slots.entries()) {
    const column = layout.columns[at];
    if (!slot || !column) continue;
    if (stored.hlc === null) return corrupt("a column has a stamp but the row has no HLC");
    const hlc = hlcOf(stored.hlc - slot.behind);
    if (!hlc.ok) return hlc;
    const ref = slot.client ?? stored.client;
    if (ref === null) return corrupt(`${column.name} has no writer`);
    const clientId = clientOf(ref);
    if (!clientId.ok) return clientId;
    const kept = Object.hasOwn(extra.value, column.name) ? extra.value[column.name] : undefined;
    // A table row deleted behind LakeSync's back (plain SQL) reads as NULLs: the next write to
    // the row rebuilds it, rather than every later delta failing on it.
    const value = kept?.length === 1 ? kept[0] : (values?.[at] ?? null);
    setOwn(columns, column.name, { value, hlc: hlc.value, clientId: clientId.value });
  }
  for (const [name, entry] of Object.entries(extra.value)) {
    if (entry.length !== 3) {
      if (!Object.hasOwn(columns, name)) return corrupt(`${name} has a value but no stamp`);
      continue;
    }
    const hlc = parseHLC(entry[1]);
    if (!hlc.ok) return corrupt(`${name} has HLC ${JSON.stringify(entry[1])}`);
    const clientId = clientOf(entry[2]);
    if (!clientId.ok) return clientId;
    setOwn(columns, name, { value: entry[0], hlc: hlc.value, clientId: clientId.value });
  }
  if (stored.deletedHlc === null) return Ok({ columns });
  if (stored.deletedClient === null) return corrupt("the DELETE has no writer");
  const deletedHlc = hlcOf(stored.deletedHlc);
  if (!deletedHlc.ok) return deletedHlc;
  const deletedBy = clientOf(stored.deletedClient);
  if (!deletedBy.ok) return deletedBy;
  return Ok({ columns, deleted: { hlc: deletedHlc.value, clientId: deletedBy.value } });
}
