import "@lakesync/parquet/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import { createLakeLocation } from "@lakesync/catalogue";
import { openSqlCatalogue } from "@lakesync/catalogue/node";
import { type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delta, MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { runQueryCommand } from "../query-command.js";

const SCHEMA: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
  ],
};
let dataDir: string;
let gw: MiniGateway;
let firstHlc: bigint;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "lakesync-query-"));
  const root = join(dataDir, "lake");
  const adapter = new FileSystemAdapter({ root, sync: false });
  const warehouse = pathToFileURL(root).href;
  const catalogue = unwrapOrThrow(
    await openSqlCatalogue({ warehouse, adapter, sqlite: join(dataDir, "catalogue.sqlite") }),
  );
  const location = unwrapOrThrow(createLakeLocation(warehouse, adapter));
  gw = new MiniGateway("todos", { catalogue, location }, new Map([["todos", SCHEMA]]));
  firstHlc = 1n << 56n;
  gw.apply(
    delta("INSERT", "todos", "a", "c", firstHlc, [
      { column: "title", value: "Buy milk, oat" },
      { column: "completed", value: false },
    ]),
  );
  gw.apply(
    delta("INSERT", "todos", "b", "c", firstHlc + 10n, [
      { column: "title", value: 'Say "hi"' },
      { column: "completed", value: true },
    ]),
  );
  await gw.flushAll();
  gw.apply(
    delta("UPDATE", "todos", "a", "c", firstHlc + 20n, [{ column: "completed", value: true }]),
  );
  await gw.flushAll();
  await catalogue.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runQueryCommand([...argv, "--data-dir", dataDir], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env: {},
  });
  return { code, out, err };
}

describe("lakesync-query", () => {
  it("prints a table of the current rows", async () => {
    const { code, out } = await run("SELECT title, completed FROM todos ORDER BY title");
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "title         | completed",
        "--------------+----------",
        "Buy milk, oat | true",
        'Say "hi"      | true',
        "(2 rows)",
        "",
      ].join("\n"),
    );
  });

  it("prints JSON and CSV", async () => {
    const json = await run("SELECT title, completed FROM todos ORDER BY title", "--format", "json");
    expect(JSON.parse(json.out)).toEqual([
      { title: "Buy milk, oat", completed: true },
      { title: 'Say "hi"', completed: true },
    ]);
    const csv = await run("SELECT title, completed FROM todos ORDER BY title", "--format", "csv");
    expect(csv.out).toBe('title,completed\r\n"Buy milk, oat",true\r\n"Say ""hi""",true\r\n');
  });

  it("--as-of an HLC folds the history; --as-of a time reads that snapshot", async () => {
    const hlc = await run(
      "SELECT row_id, completed FROM todos ORDER BY row_id",
      "--as-of",
      String(firstHlc),
      "--format",
      "json",
    );
    expect(JSON.parse(hlc.out)).toEqual([{ row_id: "a", completed: false }]);
    const early = await run(
      "SELECT count(*) AS n FROM todos",
      "--as-of",
      "2000-01-01",
      "--format",
      "json",
    );
    expect(JSON.parse(early.out)).toEqual([{ n: 0 }]);
  });

  it("exit codes: 1 for a query error, 2 for a usage error", async () => {
    const bad = await run("SELECT nope FROM todos");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("QUERY_FAILED");
    expect((await run("SELECT 1", "--format", "xml")).code).toBe(2);
    expect((await run("SELECT 1", "--as-of", "yesterday")).code).toBe(2);
    expect((await run("SELECT 1", "--live", "--as-of", "1")).code).toBe(2);
    expect((await run()).code).toBe(2);
    const missing = await runQueryCommand(["SELECT 1", "--data-dir", join(dataDir, "nowhere")], {
      out: () => {},
      err: () => {},
    });
    expect(missing).toBe(1);
  });
});
