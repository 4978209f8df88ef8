import { Err, unwrapOrThrow, ValidationError } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../local-db.js";
import { registerSchema } from "../schema-registry.js";
import { MemorySnapshotStore } from "../snapshot-store.js";
import { tablesReadBy } from "../sql-identifier.js";

const open = async (snapshots = new MemorySnapshotStore(), name = "test") =>
  unwrapOrThrow(await LocalDB.open({ snapshots, name, persistDebounceMs: 60_000 }));

describe("LocalDB", () => {
  it("runs SQL and returns rows as objects", async () => {
    const db = await open();
    unwrapOrThrow(db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, n REAL)"));
    unwrapOrThrow(db.exec("INSERT INTO t VALUES (?, ?)", ["a", 1.5]));
    expect(unwrapOrThrow(db.query("SELECT * FROM t"))).toEqual([{ id: "a", n: 1.5 }]);
  });

  it("bad SQL is an error that names the statement, not a throw", async () => {
    const db = await open();
    const result = db.query("SELEKT nonsense");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("LOCAL_DB_ERROR");
      expect(result.error.message).toContain("SELEKT");
    }
  });

  it("a transaction that returns Err leaves nothing behind", async () => {
    const db = await open();
    unwrapOrThrow(db.exec("CREATE TABLE t (id TEXT PRIMARY KEY)"));
    const result = db.transaction(() => {
      unwrapOrThrow(db.exec("INSERT INTO t VALUES ('a')"));
      return db.exec("INSERT INTO t VALUES ('a')");
    });
    expect(result.ok).toBe(false);
    expect(unwrapOrThrow(db.query("SELECT * FROM t"))).toEqual([]);
  });

  it("a schema registered in a transaction that rolls back is forgotten with its tables", async () => {
    const db = await open();
    const result = db.transaction(() => {
      unwrapOrThrow(
        registerSchema(db, { table: "notes", columns: [{ name: "body", type: "string" }] }),
      );
      return Err(new ValidationError("give up"));
    });
    expect(result.ok).toBe(false);
    expect(db.schemaOf("notes")).toBeUndefined();
    expect(db.query("SELECT * FROM notes").ok).toBe(false);
  });

  it("a persisted snapshot is loaded by the next open", async () => {
    const snapshots = new MemorySnapshotStore();
    const first = await open(snapshots);
    unwrapOrThrow(first.exec("CREATE TABLE t (id TEXT PRIMARY KEY)"));
    unwrapOrThrow(first.exec("INSERT INTO t VALUES ('kept')"));
    unwrapOrThrow(first.setMeta("cursor", "42"));
    unwrapOrThrow(await first.close());
    const second = await open(snapshots);
    expect(unwrapOrThrow(second.query("SELECT id FROM t"))).toEqual([{ id: "kept" }]);
    expect(unwrapOrThrow(second.getMeta("cursor"))).toBe("42");
  });

  it("watch re-runs when a table it reads changes, and stops when asked", async () => {
    const db = await open();
    unwrapOrThrow(db.exec("CREATE TABLE todos (id TEXT PRIMARY KEY)"));
    unwrapOrThrow(db.exec("CREATE TABLE other (id TEXT PRIMARY KEY)"));
    const seen: number[] = [];
    const stop = db.watch<{ n: number }>("SELECT count(*) AS n FROM todos", undefined, (rows) =>
      seen.push(rows[0]?.n ?? -1),
    );
    unwrapOrThrow(db.exec("INSERT INTO todos VALUES ('a')"));
    unwrapOrThrow(db.exec("INSERT INTO other VALUES ('x')"));
    stop();
    unwrapOrThrow(db.exec("INSERT INTO todos VALUES ('b')"));
    expect(seen).toEqual([0, 1]);
  });

  it("a closed database answers with errors", async () => {
    const db = await open();
    unwrapOrThrow(await db.close());
    expect(db.query("SELECT 1").ok).toBe(false);
  });
});

describe("tablesReadBy", () => {
  it("finds the tables after FROM and JOIN, quoted or not", () => {
    expect(
      tablesReadBy(
        'SELECT * FROM todos t JOIN "User Lists" u ON 1 LEFT JOIN `tags` WHERE x IN (SELECT y FROM notes)',
      ).sort(),
    ).toEqual(["notes", "tags", "todos", "user lists"]);
  });
});
