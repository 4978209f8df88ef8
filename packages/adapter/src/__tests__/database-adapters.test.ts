import {
  applyToRowState,
  type ColumnValue,
  EMPTY_ROW_STATE,
  type HLCTimestamp,
  materialiseRow,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAdapter } from "../compose/migrate.js";
import type { DatabaseAdapter, RowWrite } from "../database/database-adapter.js";
import { MySQLAdapter } from "../node/mysql-adapter.js";
import { PostgresAdapter } from "../node/postgres-adapter.js";
import { available, freshNamespace, MYSQL_URL, PG_URL } from "../testing/node/databases.js";

const hlc = (n: number) => (BigInt(1_750_000_000_000 + n) << 16n) as HLCTimestamp;
const write = (
  rowId: string,
  n: number,
  columns: Record<string, ColumnValue>,
  clientId = "client",
): RowWrite => ({
  rowId,
  hlc: hlc(n),
  clientId,
  columns: Object.entries(columns).map(([column, value]) => ({ column, value })),
});

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "score", type: "number" },
    { name: "meta", type: "json" },
    { name: "nothing", type: "null" },
  ],
};

const HOSTILE: TableSchema = {
  table: 'we"ird`; DROP TABLE todos; --',
  columns: [
    { name: 'quo"te', type: "string" },
    { name: "back`tick", type: "string" },
    { name: "semi;colon", type: "string" },
    { name: "with space", type: "string" },
    { name: "select", type: "string" },
    { name: "'); DELETE FROM todos; --", type: "string" },
  ],
};

const servers = [
  {
    kind: "postgres" as const,
    make: (ns: string) => new PostgresAdapter({ connectionString: PG_URL, schema: ns }),
  },
  {
    kind: "mysql" as const,
    make: (ns: string) => new MySQLAdapter({ uri: MYSQL_URL, database: ns }),
  },
];

for (const server of servers) {
  const up = await available(server.kind);
  describe.skipIf(!up)(`${server.kind} DatabaseAdapter (real server)`, () => {
    let adapter: DatabaseAdapter;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const ns = await freshNamespace(server.kind);
      drop = ns.drop;
      adapter = server.make(ns.name);
      unwrapOrThrow(await adapter.ensureTable(TODOS));
    });
    afterAll(async () => {
      await adapter.close();
      await drop();
    });

    it("round-trips every column type exactly, including nulls, unicode and nested JSON", async () => {
      const values: Record<string, ColumnValue> = {
        title: "naïve ☕ 🚀 \"quoted\" 'single' \\ back",
        done: true,
        score: 0.1 + 0.2,
        meta: {
          nested: { list: [1, "two", null, false], empty: {} },
          "key with space": 1.5e300,
        },
        nothing: null,
      };
      unwrapOrThrow(
        await adapter.putRows("todos", [
          write("types", 1, values),
          write("nulls", 1, { title: null, done: null, score: null, meta: null }),
        ]),
      );
      const rows = unwrapOrThrow(await adapter.getRows("todos", ["types", "nulls"]));
      const byId = Object.fromEntries(rows.map((r) => [r.rowId, r.values]));
      expect(byId.types).toEqual(values);
      expect(byId.nulls).toEqual({ title: null, done: null, score: null, meta: null });
    });

    it("writes only the columns present, and a late write never overwrites a newer column", async () => {
      unwrapOrThrow(
        await adapter.putRows("todos", [write("lww", 10, { title: "new title", done: false })]),
      );
      unwrapOrThrow(
        await adapter.putRows("todos", [write("lww", 5, { title: "stale title", score: 7 })]),
      );
      unwrapOrThrow(await adapter.putRows("todos", [write("lww", 12, { done: true })]));
      const [row] = unwrapOrThrow(await adapter.getRows("todos", ["lww"]));
      expect(row?.values).toEqual({ title: "new title", done: true, score: 7 });
    });

    it("deletes by tombstone: older writes stay deleted, a newer write resurrects only its columns", async () => {
      unwrapOrThrow(await adapter.putRows("todos", [write("gone", 1, { title: "x", score: 1 })]));
      unwrapOrThrow(
        await adapter.deleteRows("todos", [{ rowId: "gone", hlc: hlc(5), clientId: "client" }]),
      );
      unwrapOrThrow(await adapter.putRows("todos", [write("gone", 3, { title: "late but old" })]));
      expect(unwrapOrThrow(await adapter.getRows("todos", ["gone"]))).toEqual([]);
      unwrapOrThrow(await adapter.putRows("todos", [write("gone", 9, { done: true })]));
      expect(unwrapOrThrow(await adapter.getRows("todos", ["gone"]))).toEqual([
        { rowId: "gone", values: { done: true } },
      ]);
    });

    it("equal HLCs go to the higher clientId in either order, as on the gateway", async () => {
      const a = write("tie-ab", 20, { title: "from alice", score: 1 }, "alice");
      const b = write("tie-ab", 20, { title: "from bob" }, "bob");
      unwrapOrThrow(await adapter.putRows("todos", [a]));
      unwrapOrThrow(await adapter.putRows("todos", [b]));
      unwrapOrThrow(await adapter.putRows("todos", [{ ...b, rowId: "tie-ba" }]));
      unwrapOrThrow(await adapter.putRows("todos", [{ ...a, rowId: "tie-ba" }]));
      const gateway = materialiseRow(
        [a, b].reduce(
          (state, w) =>
            applyToRowState(state, {
              op: "UPDATE",
              table: "todos",
              rowId: w.rowId,
              clientId: w.clientId,
              columns: w.columns,
              hlc: w.hlc,
              deltaId: "",
            }),
          EMPTY_ROW_STATE,
        ),
      );
      expect(gateway).toEqual({ title: "from bob", score: 1 });
      const rows = unwrapOrThrow(await adapter.getRows("todos", ["tie-ab", "tie-ba"]));
      expect(rows.map((r) => r.values)).toEqual([gateway, gateway]);
    });

    it("upserts 10k rows in one call (multi-row statements in one transaction)", async () => {
      const rows = Array.from({ length: 10_000 }, (_, i) =>
        write(`bulk-${i}`, 20, { title: `row ${i}`, score: i }),
      );
      unwrapOrThrow(await adapter.putRows("todos", rows));
      const back = unwrapOrThrow(
        await adapter.getRows(
          "todos",
          rows.map((r) => r.rowId),
        ),
      );
      expect(back).toHaveLength(10_000);
      expect(back.find((r) => r.rowId === "bulk-9999")?.values).toEqual({
        title: "row 9999",
        score: 9999,
      });
    }, 120_000);

    it("converges to the same rows whatever the order and duplication of writes (property)", async () => {
      unwrapOrThrow(
        await adapter.ensureTable({
          table: "prop",
          columns: [
            { name: "a", type: "number" },
            { name: "b", type: "string" },
          ],
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              n: fc.integer({ min: 1, max: 50 }),
              a: fc.integer(),
              b: fc.string({ maxLength: 5 }),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          fc.integer({ min: 0, max: 1_000_000 }),
          async (writes, salt) => {
            const unique = [...new Map(writes.map((w) => [w.n, w])).values()];
            const id = `p-${salt}-${Math.random().toString(36).slice(2)}`;
            const forward = unique.map((w) => write(id, w.n, { a: w.a, b: w.b }));
            for (const w of [...forward].reverse().concat(forward))
              unwrapOrThrow(await adapter.putRows("prop", [w]));
            const newest = unique.reduce((x, y) => (y.n > x.n ? y : x));
            const [row] = unwrapOrThrow(await adapter.getRows("prop", [id]));
            expect(row?.values).toEqual({ a: newest.a, b: newest.b });
          },
        ),
        { numRuns: 15 },
      );
    }, 120_000);

    it("grows a table when the schema adds a column, keeping data; refuses reserved names", async () => {
      unwrapOrThrow(
        await adapter.ensureTable({
          ...TODOS,
          columns: [...TODOS.columns, { name: "due", type: "string" }],
        }),
      );
      unwrapOrThrow(await adapter.putRows("todos", [write("grown", 1, { due: "2026-12-01" })]));
      expect(unwrapOrThrow(await adapter.getRows("todos", ["lww"]))[0]?.values.title).toBe(
        "new title",
      );
      const reserved = await adapter.ensureTable({
        table: "r",
        columns: [{ name: "id", type: "string" }],
      });
      expect(reserved.ok).toBe(false);
    });

    it("quotes hostile identifiers: nothing is injected and the data round-trips", async () => {
      unwrapOrThrow(await adapter.ensureTable(HOSTILE));
      const values = Object.fromEntries(HOSTILE.columns.map((c) => [c.name, `value of ${c.name}`]));
      unwrapOrThrow(await adapter.putRows(HOSTILE.table, [write("h1", 1, values)]));
      expect(unwrapOrThrow(await adapter.getRows(HOSTILE.table))).toEqual([
        { rowId: "h1", values },
      ]);
      expect(unwrapOrThrow(await adapter.getRows("todos", ["lww"]))).toHaveLength(1);
    });

    it("rejects unknown columns, wrong types and unknown tables with an AdapterError", async () => {
      const unknown = await adapter.putRows("todos", [write("x", 1, { colour: "red" })]);
      expect(!unknown.ok && unknown.error.code).toBe("SCHEMA_MISMATCH");
      const wrong = await adapter.putRows("todos", [write("x", 1, { score: "high" })]);
      expect(!wrong.ok && wrong.error.code).toBe("SCHEMA_MISMATCH");
      const table = await adapter.getRows("missing");
      expect(table.ok).toBe(false);
    });
  });
}

const bothUp = (await available("postgres")) && (await available("mysql"));
describe.skipIf(!bothUp)("migrateAdapter Postgres -> MySQL", () => {
  it("copies every row, reports progress, and a second run changes nothing", async () => {
    const pgNs = await freshNamespace("postgres");
    const myNs = await freshNamespace("mysql");
    const from = new PostgresAdapter({ connectionString: PG_URL, schema: pgNs.name });
    const to = new MySQLAdapter({ uri: MYSQL_URL, database: myNs.name });
    try {
      unwrapOrThrow(await from.ensureTable(TODOS));
      unwrapOrThrow(
        await from.putRows(
          "todos",
          Array.from({ length: 2500 }, (_, i) =>
            write(`m${i}`, 1, { title: `t${i}`, done: i % 2 === 0 }),
          ),
        ),
      );
      const progress: number[] = [];
      const report = unwrapOrThrow(
        await migrateAdapter(from, to, {
          tables: [TODOS],
          onProgress: (p) => progress.push(p.copied),
        }),
      );
      expect(report.copied).toBe(2500);
      expect(progress).toEqual([1000, 2000, 2500]);
      const copied = unwrapOrThrow(await to.getRows("todos"));
      expect(copied).toHaveLength(2500);
      expect(copied.find((r) => r.rowId === "m2")?.values).toEqual({ title: "t2", done: true });
      unwrapOrThrow(await migrateAdapter(from, to, { tables: [TODOS] }));
      expect(unwrapOrThrow(await to.getRows("todos"))).toHaveLength(2500);
    } finally {
      await from.close();
      await to.close();
      await pgNs.drop();
      await myNs.drop();
    }
  }, 120_000);
});
