import { materialiseRow, Ok, type Result, type RowState, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { fromSqlite, toSqlite } from "../column-codec.js";
import { LocalDB } from "../local-db.js";
import { decodeRowStamps, encodeRowStamps } from "../row-state-codec.js";
import { layoutOf, saveRowState } from "../row-state-store.js";
import { readRowState, writeRow } from "../row-store.js";
import { registerSchema } from "../schema-registry.js";
import { stampKey } from "../stamp-key.js";
import { stampLayout } from "../stamp-table.js";
import { mixed, rowState } from "./support/arbitraries.js";
import { ENGINES } from "./support/engines.js";
import { stateText } from "./support/state-text.js";

/** Interning in memory, as `_lakesync_clients` does in the database. */
function interner() {
  const refs = new Map<string, number>();
  const ids: string[] = [];
  return {
    refOf: (clientId: string): Result<number, never> => {
      let ref = refs.get(clientId);
      if (ref === undefined) {
        ref = ids.push(clientId);
        refs.set(clientId, ref);
      }
      return Ok(ref);
    },
    clientOf: (ref: number): Result<string, never> => Ok(ids[ref - 1] ?? "?"),
  };
}

describe("merge stamps codec", () => {
  const layout = stampLayout(mixed);

  it("a state split into stamps and its table row comes back the same", () => {
    fc.assert(
      fc.property(rowState, (state) => {
        const { refOf, clientOf } = interner();
        const stored = unwrapOrThrow(encodeRowStamps(state, layout, refOf));
        // The table row as applyDeltas writes it and loadRowState reads it back.
        const row = materialiseRow(state);
        const values =
          row === null
            ? null
            : layout.columns.map((c) => {
                const value = Object.hasOwn(row, c.name) ? (row[c.name] ?? null) : null;
                const sql = toSqlite(c.type, value, c.name);
                return fromSqlite(c.type, sql.ok ? sql.value : null);
              });
        const back = unwrapOrThrow(decodeRowStamps(stored, values, layout, clientOf));
        expect(stateText(back)).toBe(stateText(state));
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps no value the table row holds: a fresh row's stamps carry no JSON", () => {
    const { refOf } = interner();
    const hlc = 2n ** 57n + 5n;
    const state = {
      columns: {
        title: { value: "milk", hlc, clientId: "a" },
        done: { value: false, hlc, clientId: "a" },
        meta: { value: { tags: ["x"] }, hlc: hlc - 3n, clientId: "b" },
      },
    } as unknown as RowState;
    const stored = unwrapOrThrow(encodeRowStamps(state, layout, refOf));
    expect(stored.extra).toBeNull();
    expect(stored.hlc).toBe(hlc);
    expect(stored.slots.map((s) => s && [s.behind, s.client])).toEqual([
      [0n, null],
      [0n, null],
      null,
      [3n, 2],
      null,
    ]);
  });
});

describe.each(ENGINES)("merge stamps in a LocalDB on %s", (engine) => {
  let db: LocalDB;
  beforeAll(async () => {
    db = unwrapOrThrow(await LocalDB.open({ engine, persistDebounceMs: 60_000 }));
    unwrapOrThrow(registerSchema(db, mixed));
  });

  const rowId = fc.oneof(
    fc.string({ minLength: 1, maxLength: 16 }),
    fc.uuid(),
    fc.string({ unit: "binary", minLength: 17, maxLength: 40 }),
  );

  it("any state (HLCs past 2^53, odd client ids) is read back exactly", () => {
    const layout = unwrapOrThrow(layoutOf(db, mixed.table));
    fc.assert(
      fc.property(rowState, rowId, (state, id) => {
        unwrapOrThrow(
          db.transaction(() => {
            const written = writeRow(db, mixed, id, materialiseRow(state));
            if (!written.ok) return written;
            return saveRowState(db, layout, stampKey(id), state);
          }),
        );
        expect(stateText(unwrapOrThrow(readRowState(db, mixed.table, id)))).toBe(stateText(state));
      }),
      { numRuns: 300 },
    );
  });

  it("stores HLCs as 64-bit INTEGERs, exact up to 2^64 - 1", () => {
    const layout = unwrapOrThrow(layoutOf(db, mixed.table));
    const top = 2n ** 64n - 1n;
    const state = {
      columns: {
        title: { value: "newest", hlc: top, clientId: "a" },
        rank: { value: 1, hlc: 2n ** 53n + 1n, clientId: "b" },
      },
      deleted: { hlc: 2n ** 63n, clientId: "c" },
    } as unknown as RowState;
    unwrapOrThrow(writeRow(db, mixed, "wide", materialiseRow(state)));
    unwrapOrThrow(saveRowState(db, layout, stampKey("wide"), state));
    const types = unwrapOrThrow(
      db.queryValues(
        `SELECT typeof(hlc), typeof(deleted_hlc), typeof("rank:behind") FROM "_lakesync_stamps:things" WHERE key = 'wide'`,
      ),
    );
    expect(types).toEqual([["integer", "integer", "integer"]]);
    expect(stateText(unwrapOrThrow(readRowState(db, mixed.table, "wide")))).toBe(stateText(state));
  });

  it("keys short row ids by themselves, UUIDs by their 16 bytes, other ids by 17 bytes of SHA-256", () => {
    const state = {
      columns: { title: { value: "x", hlc: 2n ** 57n, clientId: "a" } },
    } as unknown as RowState;
    const layout = unwrapOrThrow(layoutOf(db, mixed.table));
    const uuid = "00000000-0000-4000-8000-000000000001";
    const long = "a row id longer than sixteen";
    for (const id of ["short-id", uuid, long]) {
      unwrapOrThrow(writeRow(db, mixed, id, materialiseRow(state)));
      unwrapOrThrow(saveRowState(db, layout, stampKey(id), state));
    }
    const keys = unwrapOrThrow(
      db.queryValues(
        `SELECT typeof(key), length(key) FROM "_lakesync_stamps:things" WHERE key IN (?, ?, ?) ORDER BY 1, 2`,
        ["short-id", stampKey(uuid), stampKey(long)],
      ),
    );
    expect(keys).toEqual([
      ["blob", 16],
      ["blob", 17],
      ["text", 8],
    ]);
  });
});
