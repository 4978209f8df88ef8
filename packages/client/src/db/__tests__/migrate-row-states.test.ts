import {
  deltaId,
  type HLCTimestamp,
  type RowDelta,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../local-db.js";
import type { LocalDBEngine } from "../open-engine.js";
import { applyDeltas, readRowState } from "../row-store.js";
import { registerSchema } from "../schema-registry.js";
import { MemorySnapshotStore } from "../snapshot-store.js";
import { delta as arbDelta, mixed } from "./support/arbitraries.js";
import { ENGINES } from "./support/engines.js";
import { Format1Database } from "./support/format-1-writer.js";
import { stateText } from "./support/state-text.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "priority", type: "number" },
    { name: "meta", type: "json" },
  ],
};
const notes: TableSchema = { table: "notes", columns: [{ name: "body", type: "string" }] };

const T = 2n ** 57n;
function write(
  op: RowDelta["op"],
  table: string,
  rowId: string,
  clientId: string,
  hlc: bigint,
  cells: Record<string, RowDelta["columns"][number]["value"]> = {},
): RowDelta {
  const columns = Object.entries(cells).map(([column, value]) => ({ column, value }));
  const base = { clientId, hlc: hlc as HLCTimestamp, table, rowId, columns };
  return { ...base, op, deltaId: deltaId(base) };
}

/** Opens a snapshot written by the old format with the current code. */
async function openMigrated(bytes: Uint8Array, engine: LocalDBEngine) {
  const snapshots = new MemorySnapshotStore();
  unwrapOrThrow(await snapshots.save("app", bytes));
  const opened = await LocalDB.open({ name: "app", snapshots, engine, persistDebounceMs: 60_000 });
  return { opened, snapshots };
}

const tableRows = (db: LocalDB, table: string) =>
  unwrapOrThrow(db.queryValues(`SELECT * FROM "${table}" ORDER BY id`));

/** Inserts, edits, deletes, resurrections, ties, long ids, unknown columns, misfit values. */
function history(): RowDelta[] {
  const deltas: RowDelta[] = [];
  for (let i = 0; i < 12; i++)
    deltas.push(
      write("INSERT", "todos", `t${i}`, 'phone ü "quoted"', T + BigInt(i), {
        title: `todo ${i}`,
        completed: i % 2 === 0,
        priority: i / 3,
        meta: { tags: ["a", i], n: null },
      }),
    );
  for (let i = 0; i < 12; i += 2)
    deltas.push(
      write("UPDATE", "todos", `t${i}`, "laptop", T + 100n + BigInt(i), { title: `edited ${i}` }),
    );
  for (let i = 0; i < 12; i += 3)
    deltas.push(write("DELETE", "todos", `t${i}`, "laptop", T + 200n));
  deltas.push(
    // Resurrected: a write after the DELETE brings back only what it writes.
    write("UPDATE", "todos", "t3", 'phone ü "quoted"', T + 300n, { title: "back again" }),
    write("INSERT", "todos", "tie", "same", T + 5n, { title: "tie A" }),
    write("INSERT", "todos", "tie", "same", T + 5n, { title: "tie B" }),
    write("INSERT", "todos", "misfit", "🙂", T, { priority: "high", unknown_col: { x: 1 } }),
    write("INSERT", "todos", "edges", "", 0n, { title: "zero HLC, empty client id" }),
    write("UPDATE", "todos", "edges", "max", 2n ** 64n - 1n, { priority: 1 }),
    write("INSERT", "notes", "00000000-0000-4000-8000-000000000001", "laptop", T, {
      body: "long id",
    }),
  );
  return deltas;
}

describe.each(ENGINES)("migrating JSON merge state (format 1) on open on %s", (engine) => {
  it("keeps every row and every merge state exactly, deleted and resurrected rows included", async () => {
    const old = await Format1Database.create();
    old.register(todos);
    old.register(notes);
    old.apply(history());
    const { opened } = await openMigrated(old.export(), engine);
    const db = unwrapOrThrow(opened);
    expect(old.keys()).toHaveLength(16);
    for (const { table, rowId } of old.keys()) {
      const migrated = unwrapOrThrow(readRowState(db, table, rowId));
      expect(stateText(migrated), `${table}/${rowId}`).toBe(stateText(old.state(table, rowId)));
    }
    const fresh = unwrapOrThrow(await LocalDB.open({ engine }));
    unwrapOrThrow(registerSchema(fresh, todos));
    unwrapOrThrow(registerSchema(fresh, notes));
    unwrapOrThrow(applyDeltas(fresh, history()));
    for (const table of ["todos", "notes"])
      expect(tableRows(db, table)).toEqual(tableRows(fresh, table));
    expect(tableRows(db, "todos").map((r) => r[0])).toContain("t3");
    expect(tableRows(db, "todos").map((r) => r[0])).not.toContain("t6");
  });

  it("drops the old table, and a migrated database opens again without migrating", async () => {
    const old = await Format1Database.create();
    old.register(todos);
    old.apply(history().filter((d) => d.table === "todos"));
    const { opened, snapshots } = await openMigrated(old.export(), engine);
    const db = unwrapOrThrow(opened);
    const tables = () =>
      unwrapOrThrow(
        db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'"),
      );
    expect(tables().map((t) => t.name)).not.toContain("_lakesync_rows");
    unwrapOrThrow(await db.close());
    const again = unwrapOrThrow(await LocalDB.open({ name: "app", snapshots, engine }));
    expect(stateText(unwrapOrThrow(readRowState(again, "todos", "tie")))).toBe(
      stateText(old.state("todos", "tie")),
    );
  });

  it("a table row the app changed behind the merge state's back is restored from the state", async () => {
    const old = await Format1Database.create();
    old.register(todos);
    old.apply(history().filter((d) => d.table === "todos"));
    old.run("UPDATE todos SET title = 'scribbled' WHERE id = 't1'");
    old.run("INSERT INTO todos (id, title) VALUES ('t6', 'deleted, yet here')");
    const db = unwrapOrThrow((await openMigrated(old.export(), engine)).opened);
    const titles = unwrapOrThrow(
      db.query<{ title: string }>("SELECT title FROM todos WHERE id = 't1'"),
    );
    expect(titles).toEqual([{ title: "todo 1" }]);
    expect(unwrapOrThrow(db.query("SELECT id FROM todos WHERE id = 't6'"))).toEqual([]);
    expect(stateText(unwrapOrThrow(readRowState(db, "todos", "t1")))).toBe(
      stateText(old.state("todos", "t1")),
    );
  });

  it("a state that cannot be read fails the open and leaves the snapshot as it was", async () => {
    const old = await Format1Database.create();
    old.register(todos);
    old.apply(history().filter((d) => d.table === "todos"));
    old.run("UPDATE _lakesync_rows SET state = '{not json' WHERE row_id = 't1'");
    const bytes = old.export();
    const { opened, snapshots } = await openMigrated(bytes, engine);
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.code).toBe("LOCAL_DB_ERROR");
    expect(unwrapOrThrow(await snapshots.load("app"))).toEqual(bytes);
  });

  it("after migrating, any further deltas give the same rows and states as if the new format had stored everything", async () => {
    const split = fc
      .array(arbDelta, { minLength: 1, maxLength: 16 })
      .chain((deltas) => fc.tuple(fc.constant(deltas), fc.nat({ max: deltas.length })));
    await fc.assert(
      fc.asyncProperty(split, async ([deltas, at]) => {
        const old = await Format1Database.create();
        old.register(mixed);
        old.apply(deltas.slice(0, at));
        const migrated = unwrapOrThrow((await openMigrated(old.export(), engine)).opened);
        for (const { table, rowId } of old.keys())
          expect(stateText(unwrapOrThrow(readRowState(migrated, table, rowId)))).toBe(
            stateText(old.state(table, rowId)),
          );
        unwrapOrThrow(applyDeltas(migrated, deltas.slice(at)));
        const fresh = unwrapOrThrow(await LocalDB.open({ engine }));
        unwrapOrThrow(registerSchema(fresh, mixed));
        unwrapOrThrow(applyDeltas(fresh, deltas));
        expect(tableRows(migrated, mixed.table)).toEqual(tableRows(fresh, mixed.table));
        for (const rowId of new Set(deltas.map((d) => d.rowId)))
          expect(stateText(unwrapOrThrow(readRowState(migrated, mixed.table, rowId)))).toBe(
            stateText(unwrapOrThrow(readRowState(fresh, mixed.table, rowId))),
          );
      }),
      { numRuns: 40 },
    );
  });
});
