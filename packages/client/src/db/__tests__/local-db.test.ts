import { Err, unwrapOrThrow, ValidationError } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../local-db.js";
import { registerSchema } from "../schema-registry.js";
import { MemorySnapshotStore } from "../snapshot-store.js";
import { tablesReadBy } from "../sql-identifier.js";
import { ENGINES } from "./support/engines.js";

describe.each(ENGINES)("LocalDB on %s", (engine) => {
  const open = async (snapshots = new MemorySnapshotStore(), name = "test") =>
    unwrapOrThrow(await LocalDB.open({ snapshots, name, engine, persistDebounceMs: 60_000 }));

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

  it("a COMMIT that fails is an error, and the transaction is rolled back", async () => {
    const db = await open();
    unwrapOrThrow(db.exec("PRAGMA foreign_keys = ON"));
    unwrapOrThrow(db.exec("CREATE TABLE p (id TEXT PRIMARY KEY)"));
    unwrapOrThrow(
      db.exec("CREATE TABLE c (pid TEXT REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"),
    );
    // The deferred foreign key is checked at COMMIT, which fails (as a full disk would).
    const result = db.transaction(() => db.exec("INSERT INTO c VALUES ('nobody')"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("commit failed");
    expect(unwrapOrThrow(db.query("SELECT * FROM c"))).toEqual([]);
    unwrapOrThrow(db.transaction(() => db.exec("INSERT INTO p VALUES ('x')")));
    expect(unwrapOrThrow(db.query("SELECT * FROM p"))).toEqual([{ id: "x" }]);
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

  it("a committed change is unsaved until persist() resolves, then the snapshot holds it", async () => {
    // The outbox rule rests on this: push-outbox acknowledges entries only after persist()
    // resolved, so the durable database always holds the effects of every acknowledged write.
    const snapshots = new MemorySnapshotStore();
    const db = await open(snapshots);
    expect(db.engine).toBe(engine);
    unwrapOrThrow(db.exec("CREATE TABLE t (id TEXT PRIMARY KEY)"));
    unwrapOrThrow(await db.persist());
    expect(db.hasUnsavedChanges).toBe(false);
    unwrapOrThrow(db.exec("INSERT INTO t VALUES ('a')"));
    expect(db.hasUnsavedChanges).toBe(true);
    const saving = db.persist();
    // Written after persist() was called: not promised by it, and not lost either.
    unwrapOrThrow(db.exec("INSERT INTO t VALUES ('b')"));
    unwrapOrThrow(await saving);
    const copy = await LocalDB.open({ snapshots, name: "test", engine });
    expect(unwrapOrThrow(unwrapOrThrow(copy).query("SELECT id FROM t"))).toEqual([{ id: "a" }]);
    unwrapOrThrow(await db.close());
    const reopened = await open(snapshots);
    expect(unwrapOrThrow(reopened.query("SELECT id FROM t ORDER BY id"))).toEqual([
      { id: "a" },
      { id: "b" },
    ]);
  });

  it("reserve() makes room to grow, and the database reads, writes, watches and saves as before", async () => {
    const snapshots = new MemorySnapshotStore();
    const db = await open(snapshots, "roomy");
    unwrapOrThrow(db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, n REAL)"));
    unwrapOrThrow(db.exec("INSERT INTO t VALUES (?, ?)", ["a", 1]));
    expect(unwrapOrThrow(db.query("SELECT n FROM t WHERE id = ?", ["a"]))).toEqual([{ n: 1 }]);
    let seen = 0;
    db.watch("SELECT count(*) AS n FROM t", undefined, () => seen++);
    // Inside a transaction it waits: nothing may close the database under an open transaction.
    unwrapOrThrow(db.transaction(() => db.reserve(8 << 20)));
    unwrapOrThrow(db.reserve(8 << 20));
    const watched = seen;
    for (let i = 0; i < 2000; i++)
      unwrapOrThrow(db.exec("INSERT INTO t VALUES (?, ?)", [`r${i}`, i]));
    expect(seen).toBeGreaterThan(watched);
    expect(unwrapOrThrow(db.query("SELECT n FROM t WHERE id = ?", ["r1999"]))).toEqual([
      { n: 1999 },
    ]);
    const pages = unwrapOrThrow(db.queryValues("PRAGMA page_count"))[0]?.[0];
    unwrapOrThrow(await db.close());
    const saved = unwrapOrThrow(await snapshots.load("roomy"));
    // The snapshot holds the pages in use, not the room.
    if (engine === "sql.js") expect(saved?.length).toBe(Number(pages) * 4096);
    const again = await open(snapshots, "roomy");
    expect(unwrapOrThrow(again.query("SELECT count(*) AS n FROM t"))).toEqual([{ n: 2001 }]);
  });

  it("integers beyond 2^53 and doubles read back as sql.js reads them", async () => {
    const db = await open();
    unwrapOrThrow(db.exec("CREATE TABLE n (id TEXT PRIMARY KEY, i INTEGER, r REAL, x)"));
    const big = 2 ** 63;
    unwrapOrThrow(db.exec("INSERT INTO n VALUES (?, ?, ?, ?)", ["a", big, -big, 2 ** 40]));
    unwrapOrThrow(db.exec("INSERT INTO n VALUES ('b', 9007199254740993, 0.5, x'0102')"));
    expect(unwrapOrThrow(db.queryValues("SELECT i, r, x, typeof(x) FROM n ORDER BY id"))).toEqual([
      [big, -big, 2 ** 40, "real"],
      [9007199254740992, 0.5, new Uint8Array([1, 2]), "blob"],
    ]);
  });
});

describe("LocalDB engines in Node", () => {
  it("OPFS is refused with an error (no synchronous access handles here), never a throw", async () => {
    const opened = await LocalDB.open({ engine: "opfs" });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.message).toContain("OPFS");
  });

  it("auto picks sql.js where OPFS is not available", async () => {
    const db = unwrapOrThrow(await LocalDB.open({ engine: "auto" }));
    expect(db.engine).toBe("sql.js");
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
