import {
  applyToRowState,
  deltaId,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  type RowDelta,
  type RowState,
  rowStateToDeltas,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyCheckpointDeltas } from "../bulk-apply.js";
import { LocalDB } from "../local-db.js";
import type { LocalDBEngine } from "../open-engine.js";
import { applyDeltas, readRowState } from "../row-store.js";
import { registerSchema } from "../schema-registry.js";
import { delta as arbDelta, mixed } from "./support/arbitraries.js";
import { ENGINES } from "./support/engines.js";
import { stateText } from "./support/state-text.js";

const ROW_IDS = ["r1", "r2", "00000000-0000-4000-8000-000000000003"];
const T = 2n ** 57n;

async function open(engine: LocalDBEngine): Promise<LocalDB> {
  const db = unwrapOrThrow(await LocalDB.open({ engine, persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, mixed));
  return db;
}

/** Everything a replica shows and merges with: its table rows and every row's merge state. */
function contents(db: LocalDB, rowIds: readonly string[] = ROW_IDS): string {
  const rows = unwrapOrThrow(db.queryValues(`SELECT * FROM "${mixed.table}" ORDER BY id`));
  const states = rowIds.map((id) => stateText(unwrapOrThrow(readRowState(db, mixed.table, id))));
  return JSON.stringify({ rows, states });
}

/** A checkpoint chunk as the gateway cuts it: each row's merged state as the deltas that rebuild it. */
function chunkOf(deltas: readonly RowDelta[]): RowDelta[] {
  const states = new Map<string, RowState>();
  for (const d of deltas)
    states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
  return [...states].flatMap(([rowId, state]) => rowStateToDeltas(mixed.table, rowId, state));
}

function write(rowId: string, clientId: string, hlc: bigint, title: string): RowDelta {
  const columns = [{ column: "title", value: title }];
  const base = { clientId, hlc: hlc as HLCTimestamp, table: mixed.table, rowId, columns };
  return { ...base, op: "UPDATE", deltaId: deltaId(base) };
}

describe.each(ENGINES)("applying a checkpoint chunk in bulk on %s", (engine) => {
  it("gives the rows and merge states of the row-by-row merge, on an empty replica or one with writes of its own", async () => {
    const deltas = fc.array(arbDelta, { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(deltas, deltas, fc.boolean(), async (before, remote, asChunk) => {
        const chunk = asChunk ? chunkOf(remote) : remote;
        const bulk = await open(engine);
        const exact = await open(engine);
        unwrapOrThrow(applyDeltas(bulk, before));
        unwrapOrThrow(applyDeltas(exact, before));
        unwrapOrThrow(applyCheckpointDeltas(bulk, chunk));
        unwrapOrThrow(applyDeltas(exact, chunk));
        expect(contents(bulk)).toBe(contents(exact));
        // And the replicas go on merging alike.
        unwrapOrThrow(applyDeltas(bulk, before));
        unwrapOrThrow(applyDeltas(exact, before));
        expect(contents(bulk)).toBe(contents(exact));
      }),
      { numRuns: 200 },
    );
  }, 300_000);

  it("writes hundreds of rows many to a statement, each as the row-by-row merge writes it", async () => {
    const rowIds = Array.from({ length: 250 }, (_, i) =>
      i % 2 === 0 ? `row-${i}` : `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
    );
    const deltas: RowDelta[] = rowIds.map((rowId, i) => {
      const columns = [
        { column: "title", value: `todo ${i}` },
        { column: "done", value: i % 3 === 0 },
        ...(i % 5 === 0 ? [] : [{ column: "rank", value: i / 7 }]),
        ...(i % 7 === 0 ? [{ column: "meta", value: { tags: [i] } }] : []),
      ];
      const base = {
        clientId: `c${i % 3}`,
        hlc: (T + BigInt(i)) as HLCTimestamp,
        table: mixed.table,
        rowId,
        columns,
      };
      return { ...base, op: "UPDATE" as const, deltaId: deltaId(base) };
    });
    const bulk = await open(engine);
    const exact = await open(engine);
    expect(unwrapOrThrow(applyCheckpointDeltas(bulk, deltas))).toBe(250);
    unwrapOrThrow(applyDeltas(exact, deltas));
    expect(contents(bulk, rowIds)).toBe(contents(exact, rowIds));
  });

  it("keeps a newer local write over an older checkpoint value of the same row", async () => {
    const db = await open(engine);
    unwrapOrThrow(applyDeltas(db, [write("r1", "me", T + 10n, "mine")]));
    unwrapOrThrow(
      applyCheckpointDeltas(db, [
        write("r1", "them", T + 5n, "theirs"),
        write("r2", "them", T, "new"),
      ]),
    );
    const titles = unwrapOrThrow(
      db.queryValues(`SELECT id, title FROM "${mixed.table}" ORDER BY id`),
    );
    expect(titles).toEqual([
      ["r1", "mine"],
      ["r2", "new"],
    ]);
  });

  it("applies nothing and says so when a delta's table is not registered", async () => {
    const db = await open(engine);
    const stray = { ...write("r9", "them", T, "x"), table: "nowhere" };
    const applied = applyCheckpointDeltas(db, [write("r1", "them", T, "kept?"), stray]);
    expect(applied.ok).toBe(false);
    if (!applied.ok) expect(applied.error.code).toBe("SCHEMA_MISMATCH");
    expect(unwrapOrThrow(db.queryValues(`SELECT count(*) FROM "${mixed.table}"`))).toEqual([[0]]);
  });
});
