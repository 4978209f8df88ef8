import { unwrapOrThrow } from "@lakesync/core";
import { afterEach, describe, expect, it } from "vitest";
import { flushCommit, restHarness, SCHEMA, SPEC } from "./support/harness.js";

const NS = ["lakesync"];
const TODOS = { namespace: NS, name: "todos" };

describe("RestCatalogue against createIcebergRestApp (every exchange checked against the OpenAPI document)", () => {
  let violations: string[] = [];
  afterEach(() => {
    expect(violations).toEqual([]);
  });

  async function setUp(prefix?: string) {
    const harness = await restHarness(prefix === undefined ? {} : { prefix });
    violations = harness.violations;
    return harness;
  }

  it("creates, lists, loads and drops namespaces, multi-level ones included", async () => {
    const client = (await setUp()).client();
    unwrapOrThrow(await client.createNamespace(["analytics"], { owner: "ops" }));
    unwrapOrThrow(await client.createNamespace(["analytics", "eu"]));
    unwrapOrThrow(await client.createNamespace(["lakesync"]));
    expect(unwrapOrThrow(await client.listNamespaces())).toEqual([["analytics"], ["lakesync"]]);
    expect(unwrapOrThrow(await client.listNamespaces(["analytics"]))).toEqual([
      ["analytics", "eu"],
    ]);
    // The SQL catalogue adds JdbcCatalog's `exists` marker to the properties it keeps.
    expect(unwrapOrThrow(await client.loadNamespace(["analytics"]))).toMatchObject({
      owner: "ops",
    });
    expect(unwrapOrThrow(await client.loadNamespace(["analytics", "eu"]))).not.toHaveProperty(
      "owner",
    );
    expect(unwrapOrThrow(await client.namespaceExists(["analytics", "eu"]))).toBe(true);
    unwrapOrThrow(await client.dropNamespace(["analytics", "eu"]));
    expect(unwrapOrThrow(await client.namespaceExists(["analytics", "eu"]))).toBe(false);
  });

  it("creating a namespace twice is ALREADY_EXISTS", async () => {
    const client = (await setUp()).client();
    unwrapOrThrow(await client.createNamespace(NS));
    const again = await client.createNamespace(NS);
    expect(again.ok ? undefined : again.error.code).toBe("ALREADY_EXISTS");
  });

  it("creates a table, loads the same metadata back, and lists it", async () => {
    const client = (await setUp("main")).client();
    unwrapOrThrow(await client.createNamespace(NS));
    const created = unwrapOrThrow(
      await client.createTable(NS, {
        name: "todos",
        schema: SCHEMA,
        partitionSpec: SPEC,
        properties: { "format-version": "2" },
      }),
    );
    expect(created.metadata["current-snapshot-id"]).toBeNull();
    expect(created.metadata.schemas[0]?.fields.map((f) => f.name)).toEqual([
      "row_id",
      "title",
      "done",
    ]);
    const loaded = unwrapOrThrow(await client.loadTable(TODOS));
    expect(loaded).toEqual(created);
    expect(unwrapOrThrow(await client.listTables(NS))).toEqual([TODOS]);
    expect(unwrapOrThrow(await client.tableExists(TODOS))).toBe(true);
    expect(unwrapOrThrow(await client.tableExists({ namespace: NS, name: "nope" }))).toBe(false);
  });

  it("commits snapshots: requirements and updates reach the catalogue, the new metadata comes back", async () => {
    const client = (await setUp()).client();
    unwrapOrThrow(await client.createNamespace(NS));
    unwrapOrThrow(await client.createTable(NS, { name: "todos", schema: SCHEMA }));
    const first = flushCommit(101, 1, null);
    const one = unwrapOrThrow(await client.commitTable(TODOS, first.requirements, first.updates));
    expect(one.metadata["current-snapshot-id"]).toBe(101);
    const second = flushCommit(102, 2, 101);
    const two = unwrapOrThrow(await client.commitTable(TODOS, second.requirements, second.updates));
    expect(two.metadata.refs?.main?.["snapshot-id"]).toBe(102);
    expect(two.metadataLocation).not.toBe(one.metadataLocation);
    expect(unwrapOrThrow(await client.loadTable(TODOS))).toEqual(two);
  });

  it("two writers committing from the same base: one wins, the other gets COMMIT_CONFLICT", async () => {
    const harness = await setUp();
    const alice = harness.client();
    const bob = harness.client();
    unwrapOrThrow(await alice.createNamespace(NS));
    unwrapOrThrow(await alice.createTable(NS, { name: "todos", schema: SCHEMA }));
    const fromAlice = flushCommit(201, 1, null);
    const fromBob = flushCommit(202, 1, null);
    const won = await alice.commitTable(TODOS, fromAlice.requirements, fromAlice.updates);
    const lost = await bob.commitTable(TODOS, fromBob.requirements, fromBob.updates);
    expect(won.ok).toBe(true);
    expect(lost.ok ? undefined : lost.error.code).toBe("COMMIT_CONFLICT");
    expect(lost.ok ? "" : lost.error.message).toMatch(
      /updateTable \(POST \/iceberg\/v1\/namespaces\/lakesync\/tables\/todos\) failed with 409 CommitFailedException/,
    );
    expect(unwrapOrThrow(await bob.loadTable(TODOS)).metadata["current-snapshot-id"]).toBe(201);
  });

  it("an unknown table is NO_SUCH_TABLE, an unknown namespace NO_SUCH_NAMESPACE", async () => {
    const client = (await setUp()).client();
    unwrapOrThrow(await client.createNamespace(NS));
    const table = await client.loadTable({ namespace: NS, name: "missing" });
    expect(table.ok ? undefined : table.error.code).toBe("NO_SUCH_TABLE");
    expect(table.ok ? "" : table.error.message).toMatch(
      /loadTable \(GET .*\/tables\/missing\) failed with 404 NoSuchTableException/,
    );
    const namespace = await client.listTables(["nowhere"]);
    expect(namespace.ok ? undefined : namespace.error.code).toBe("NO_SUCH_NAMESPACE");
    const commit = await client.commitTable({ namespace: NS, name: "missing" }, [], []);
    expect(commit.ok ? undefined : commit.error.code).toBe("NO_SUCH_TABLE");
  });

  it("dropping a namespace that still holds tables is NAMESPACE_NOT_EMPTY; dropping the table frees it", async () => {
    const client = (await setUp()).client();
    unwrapOrThrow(await client.createNamespace(NS));
    unwrapOrThrow(await client.createTable(NS, { name: "todos", schema: SCHEMA }));
    const refused = await client.dropNamespace(NS);
    expect(refused.ok ? undefined : refused.error.code).toBe("NAMESPACE_NOT_EMPTY");
    unwrapOrThrow(await client.dropTable(TODOS, { purge: true }));
    unwrapOrThrow(await client.dropNamespace(NS));
    expect(unwrapOrThrow(await client.listNamespaces())).toEqual([]);
  });

  it("pages through namespaces and tables when the client asks for pages", async () => {
    const harness = await setUp("lake");
    const client = harness.client({ pageSize: 2 });
    const names = ["a", "b", "c", "d", "e"];
    for (const name of names) unwrapOrThrow(await client.createNamespace([name]));
    for (const name of names)
      unwrapOrThrow(await client.createTable(["a"], { name: `t${name}`, schema: SCHEMA }));
    const requests: string[] = [];
    const counting = harness.client({
      pageSize: 2,
      fetch: (input, init) => {
        requests.push(input);
        return harness.fetch(input, init);
      },
    });
    expect(unwrapOrThrow(await counting.listNamespaces())).toEqual(names.map((n) => [n]));
    expect(unwrapOrThrow(await counting.listTables(["a"])).map((t) => t.name)).toEqual(
      names.map((n) => `t${n}`),
    );
    const pages = requests.filter((r) => r.includes("pageToken"));
    expect(pages).toHaveLength(6);
    expect(pages[0]).toMatch(/namespaces\?pageToken=&pageSize=2$/);
  });

  it("a client that asks for no pages gets every item in one response", async () => {
    const client = (await setUp()).client();
    for (const name of ["x", "y", "z"]) unwrapOrThrow(await client.createNamespace([name]));
    expect(unwrapOrThrow(await client.listNamespaces())).toHaveLength(3);
  });

  it("levels with spaces, reserved characters and unicode survive the %1F path encoding", async () => {
    const client = (await setUp()).client();
    const odd = ["sales & marketing", "eu+west=50%", "Zürich"];
    unwrapOrThrow(await client.createNamespace(odd.slice(0, 1)));
    unwrapOrThrow(await client.createNamespace(odd.slice(0, 2)));
    unwrapOrThrow(await client.createNamespace(odd));
    expect(unwrapOrThrow(await client.listNamespaces(odd.slice(0, 2)))).toEqual([odd]);
    const table = { namespace: odd, name: "to do & done?" };
    unwrapOrThrow(await client.createTable(odd, { name: table.name, schema: SCHEMA }));
    expect(unwrapOrThrow(await client.tableExists(table))).toBe(true);
    expect(unwrapOrThrow(await client.listTables(odd))).toEqual([table]);
  });

  it("exposes the merged configuration, with the server's prefix override", async () => {
    const client = (await setUp("main")).client({ warehouse: "lake" });
    const config = unwrapOrThrow(await client.configuration());
    expect(config).toMatchObject({ prefix: "main", warehouse: "lake" });
  });
});
