import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import { createLakeLocation, openSqlCatalogue, readLakeTable } from "@lakesync/catalogue/node";
import { unwrapOrThrow } from "@lakesync/core";
import { TestClient, todoInsert as todo } from "@lakesync/server/testing";
import { afterEach, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../main.ts", import.meta.url));
const children: ChildProcess[] = [];
let dir: string | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts `src/main.ts` as `npm start` would, and waits for the URL it prints. */
async function launch(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--conditions=@lakesync/source", "--import", "tsx", main],
    {
      env: {
        ...process.env,
        PORT: "0",
        LAKESYNC_DATA_DIR: dataDir,
        LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
        LAKESYNC_STATIC_DIR: join(dataDir, "no-static"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, url };
}

describe("Node gateway crash recovery", () => {
  it("after SIGKILL, every acknowledged delta is still served, re-pushes are no-ops, and they flush", async () => {
    dir = await mkdtemp(join(tmpdir(), "lakesync-crash-"));
    const first = await launch(dir);
    const alice = await TestClient.forUser(first.url, "alice", true);
    const deltas = Array.from({ length: 60 }, (_, i) =>
      todo("a-phone", `t${i}`, { title: `todo ${i}`, owner: "alice" }),
    );
    for (let i = 0; i < deltas.length; i += 20) {
      const response = await alice.push("a-phone", deltas.slice(i, i + 20));
      expect(response.status).toBe(200);
    }
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));

    const second = await launch(dir);
    const again = new TestClient(second.url, alice.token);
    const pulled = await again.pullAll();
    expect(pulled.deltas).toEqual(deltas);
    expect((await again.push("a-phone", deltas.slice(0, 20))).status).toBe(200);
    expect((await again.pullAll(pulled.cursor)).deltas).toEqual([]);

    const flushed = await again.admin("/admin/flush/todos");
    expect(flushed.status).toBe(200);
    const lakeDir = join(dir, "lake");
    const adapter = new FileSystemAdapter({ root: lakeDir });
    const warehouse = pathToFileURL(lakeDir).href;
    const catalogue = unwrapOrThrow(
      await openSqlCatalogue({ warehouse, adapter, sqlite: join(dir, "catalogue.sqlite") }),
    );
    const table = unwrapOrThrow(
      await readLakeTable({
        catalogue,
        location: unwrapOrThrow(createLakeLocation(warehouse, adapter)),
        namespace: ["todos"],
        table: "todos",
      }),
    );
    await catalogue.close();
    expect([...table.rows.keys()].sort()).toEqual(deltas.map((d) => d.rowId).sort());
  }, 60_000);
});
