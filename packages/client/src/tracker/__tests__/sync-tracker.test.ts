import { HLC, type TableSchema, TestClock, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { applyDeltas, readRow } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemorySnapshotStore } from "../../db/snapshot-store.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { SyncTracker } from "../sync-tracker.js";

const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "meta", type: "json" },
  ],
};

async function setup(
  snapshots = new MemorySnapshotStore(),
  queue = new MemoryQueue(),
  clientId = "phone",
) {
  const clock = new TestClock();
  const db = unwrapOrThrow(await LocalDB.open({ snapshots, persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  const tracker = new SyncTracker({
    db,
    queue,
    clock: new HLC({ wallClock: clock.read }),
    clientId,
  });
  return { db, queue, tracker, clock, snapshots };
}

describe("SyncTracker", () => {
  it("an insert writes the row and queues an INSERT delta with every column", async () => {
    const { db, queue, tracker } = await setup();
    const delta = unwrapOrThrow(
      await tracker.insert("todos", {
        id: "t1",
        title: "Milk",
        completed: false,
        meta: { tags: ["a"] },
      }),
    );
    expect(delta?.op).toBe("INSERT");
    expect(delta?.columns.map((c) => c.column)).toEqual(["title", "completed", "meta"]);
    expect(unwrapOrThrow(readRow(db, "todos", "t1"))).toEqual({
      id: "t1",
      title: "Milk",
      completed: false,
      meta: { tags: ["a"] },
    });
    expect(unwrapOrThrow(await queue.depth())).toBe(1);
  });

  it("an update queues only the changed columns", async () => {
    const { tracker } = await setup();
    unwrapOrThrow(
      await tracker.insert("todos", { id: "t1", title: "Milk", completed: false, meta: null }),
    );
    const delta = unwrapOrThrow(
      await tracker.update("todos", "t1", { completed: true, title: "Milk" }),
    );
    expect(delta?.op).toBe("UPDATE");
    expect(delta?.columns).toEqual([{ column: "completed", value: true }]);
  });

  it("an update that changes nothing queues nothing", async () => {
    const { queue, tracker } = await setup();
    unwrapOrThrow(
      await tracker.insert("todos", { id: "t1", title: "Milk", completed: false, meta: null }),
    );
    expect(unwrapOrThrow(await tracker.update("todos", "t1", { title: "Milk" }))).toBeNull();
    expect(unwrapOrThrow(await queue.depth())).toBe(1);
  });

  it("a delete removes the row and queues a DELETE", async () => {
    const { db, tracker } = await setup();
    unwrapOrThrow(
      await tracker.insert("todos", { id: "t1", title: "Milk", completed: false, meta: null }),
    );
    const delta = unwrapOrThrow(await tracker.delete("todos", "t1"));
    expect(delta?.op).toBe("DELETE");
    expect(unwrapOrThrow(readRow(db, "todos", "t1"))).toBeNull();
  });

  it("writes that do not fit the schema are rejected and nothing is queued", async () => {
    const { queue, tracker } = await setup();
    for (const bad of [
      () => tracker.insert("todos", { id: "t1", title: 42 }),
      () => tracker.insert("todos", { id: "t1", secret: "x" }),
      () => tracker.insert("nope", { id: "t1", title: "x" }),
      () => tracker.insert("todos", { id: "", title: "x" }),
      () => tracker.update("todos", "missing", { title: "x" }),
    ]) {
      const result = await bad();
      expect(result.ok).toBe(false);
    }
    expect(unwrapOrThrow(await queue.depth())).toBe(0);
  });

  it("concurrent writes are applied in call order", async () => {
    const { db, tracker } = await setup();
    unwrapOrThrow(
      await tracker.insert("todos", { id: "t1", title: "a", completed: false, meta: null }),
    );
    await Promise.all([
      tracker.update("todos", "t1", { title: "b" }),
      tracker.update("todos", "t1", { title: "c" }),
    ]);
    expect(unwrapOrThrow(readRow(db, "todos", "t1"))?.title).toBe("c");
  });

  it("after a crash before the snapshot, the outbox is replayed into the database", async () => {
    const queue = new MemoryQueue();
    const snapshots = new MemorySnapshotStore();
    const first = await setup(snapshots, queue);
    unwrapOrThrow(await first.db.persist());
    unwrapOrThrow(
      await first.tracker.insert("todos", {
        id: "t1",
        title: "written after the snapshot",
        completed: false,
        meta: null,
      }),
    );
    // Crash: the database is dropped without persisting.
    const second = await setup(snapshots, queue);
    expect(unwrapOrThrow(readRow(second.db, "todos", "t1"))).toBeNull();
    expect(unwrapOrThrow(await second.tracker.recover())).toBe(1);
    expect(unwrapOrThrow(readRow(second.db, "todos", "t1"))?.title).toBe(
      "written after the snapshot",
    );
  });

  it("a remote delta with an older HLC does not overwrite a newer local write", async () => {
    const { db, tracker } = await setup();
    const older = unwrapOrThrow(
      await tracker.insert("todos", { id: "t1", title: "old", completed: false, meta: null }),
    );
    unwrapOrThrow(await tracker.update("todos", "t1", { title: "new" }));
    if (!older) throw new Error("expected a delta");
    unwrapOrThrow(applyDeltas(db, [{ ...older, clientId: "laptop" }]));
    expect(unwrapOrThrow(readRow(db, "todos", "t1"))?.title).toBe("new");
  });
});

describe("registerSchema", () => {
  it("adds columns when the schema grows, filling values synced earlier", async () => {
    const { db, tracker } = await setup();
    unwrapOrThrow(
      await tracker.insert("todos", { id: "t1", title: "Milk", completed: false, meta: null }),
    );
    const grown: TableSchema = {
      ...todos,
      columns: [...todos.columns, { name: "priority", type: "number" }],
    };
    unwrapOrThrow(registerSchema(db, grown));
    unwrapOrThrow(await tracker.update("todos", "t1", { priority: 3 }));
    expect(unwrapOrThrow(readRow(db, "todos", "t1"))).toMatchObject({ title: "Milk", priority: 3 });
  });

  it("refuses to drop a column or change its type", async () => {
    const { db } = await setup();
    expect(
      registerSchema(db, { table: "todos", columns: [{ name: "title", type: "string" }] }).ok,
    ).toBe(false);
    expect(
      registerSchema(db, {
        ...todos,
        columns: todos.columns.map((c) =>
          c.name === "title" ? { ...c, type: "number" as const } : c,
        ),
      }).ok,
    ).toBe(false);
  });

  it("hostile table and column names are quoted, not executed", async () => {
    const { db, tracker } = await setup();
    const evil: TableSchema = {
      table: 'x"; DROP TABLE todos; --',
      columns: [{ name: "a b'); --", type: "string" }],
    };
    unwrapOrThrow(registerSchema(db, evil));
    unwrapOrThrow(await tracker.insert(evil.table, { id: "1", "a b'); --": "ok" }));
    expect(unwrapOrThrow(readRow(db, evil.table, "1"))).toEqual({ id: "1", "a b'); --": "ok" });
    expect(unwrapOrThrow(db.query("SELECT count(*) AS n FROM todos"))).toEqual([{ n: 0 }]);
  });

  it("rejects malformed schemas with a clear error", async () => {
    const { db } = await setup();
    for (const bad of [
      { table: "", columns: [] },
      { table: "_lakesync_rows", columns: [] },
      { table: "t", columns: [{ name: "a", type: "date" }] },
      {
        table: "t",
        columns: [
          { name: "a", type: "string" },
          { name: "A", type: "string" },
        ],
      },
    ]) {
      const result = registerSchema(db, bad as TableSchema);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("SCHEMA_MISMATCH");
    }
  });
});
