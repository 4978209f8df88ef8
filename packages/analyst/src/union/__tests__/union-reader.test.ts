import { type HLCTimestamp, LakeSyncError, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { encodeSyncResponse } from "@lakesync/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { delta, MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { httpSource, inProcessSource, UnionReader } from "../../index.js";

const SCHEMA: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
let lake: TestLake;
let gw: MiniGateway;

beforeEach(async () => {
  lake = await openTestLake();
  gw = new MiniGateway("gw", lake, new Map([["todos", SCHEMA]]));
});
afterEach(async () => {
  await lake.close();
});

const reader = (source = inProcessSource(gw)) =>
  new UnionReader({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: ["gw"],
    source,
  });

describe("UnionReader", () => {
  it("before any flush the union is the gateway's log alone; after it, the lake plus what came since", async () => {
    gw.apply(delta("INSERT", "todos", "a", "c", 1n << 40n, [{ column: "title", value: "A" }]));
    const before = unwrapOrThrow(await reader().read("todos"));
    expect([...before.rows]).toEqual([["a", { title: "A" }]]);
    expect(before.lakeSnapshotId).toBeUndefined();
    await gw.flushAll();
    gw.apply(delta("UPDATE", "todos", "a", "c", 2n << 40n, [{ column: "title", value: "A2" }]));
    gw.apply(
      delta("INSERT", "todos", "b", "c", 2n << 40n, [
        { column: "title", value: "B" },
        { column: "extra", value: 3 },
      ]),
    );
    const after = unwrapOrThrow(await reader().read("todos"));
    expect(after.pendingDeltas).toBe(2);
    expect(after.schema.columns).toEqual([
      { name: "title", type: "string" },
      { name: "extra", type: "number" },
    ]);
    expect(Object.fromEntries(after.rows)).toEqual({
      a: { title: "A2", extra: null },
      b: { title: "B", extra: 3 },
    });
  });

  it("a gateway read through pulls filtered by sync rules is PULL_FILTERED unless accepted", async () => {
    gw.syncRules = { version: 1, buckets: [] };
    const refused = await reader().read("todos");
    expect(refused.ok ? undefined : refused.error.code).toBe("PULL_FILTERED");
    expect((await reader(inProcessSource(gw, { allowFiltered: true })).read("todos")).ok).toBe(
      true,
    );
  });

  it("a gateway with a raw log is read through it, complete whatever its sync rules", async () => {
    gw.syncRules = { version: 1, buckets: [] };
    gw.apply(delta("INSERT", "todos", "a", "c", 1n << 40n, [{ column: "title", value: "A" }]));
    const source = inProcessSource({
      gatewayId: "gw",
      syncRules: gw.syncRules,
      handlePull: (pull) => gw.handlePull(pull),
      readLog: (since, max) => gw.logPage(since, max),
    });
    const read = unwrapOrThrow(await reader(source).read("todos"));
    expect(Object.fromEntries(read.rows)).toEqual({ a: { title: "A" } });
  });

  it("a log that keeps moving past the lake is a clear Err after retries", async () => {
    gw.apply(delta("INSERT", "todos", "a", "c", 1n << 40n, [{ column: "title", value: "A" }]));
    gw.horizon = 1n << 62n;
    const read = await reader().read("todos");
    expect(read.ok ? undefined : read.error).toMatchObject({ code: "GATEWAY_UNAVAILABLE" });
  });

  it("a table flushed long ago, or never, is read from the log's horizon when other tables' flushes trimmed the log past it", async () => {
    const two = new MiniGateway(
      "gw",
      lake,
      new Map([
        ["todos", SCHEMA],
        ["notes", { ...SCHEMA, table: "notes" }],
      ]),
    );
    const title = (value: string) => [{ column: "title", value }];
    two.apply(delta("INSERT", "todos", "a", "c", 1n << 40n, title("A")));
    await two.flush("todos");
    two.apply(delta("INSERT", "notes", "n", "c", 2n << 40n, title("N")));
    await two.flush("notes");
    two.apply(delta("INSERT", "notes", "m", "c", 3n << 40n, title("M")));
    two.apply(delta("UPDATE", "todos", "a", "c", 4n << 40n, title("A2")));
    // The gateway trims flushed entries only: here every one, so todos' last flush is behind.
    two.horizon = two.log[1]?.seq ?? 0n;
    const source = inProcessSource({
      gatewayId: "gw",
      handlePull: (pull) => two.handlePull(pull),
      readLog: (since, max) => two.logPage(since, max),
    });
    const todos = unwrapOrThrow(await reader(source).read("todos"));
    expect(Object.fromEntries(todos.rows)).toEqual({ a: { title: "A2" } });
    two.apply(delta("INSERT", "extra", "x", "c", 5n << 40n, title("X")));
    const extra = unwrapOrThrow(await reader(source).read("extra"));
    expect(Object.fromEntries(extra.rows)).toEqual({ x: { title: "X" } });
  });

  it("over HTTP: reads the raw log with the admin token, and says why a read failed", async () => {
    gw.apply(delta("INSERT", "todos", "a", "c", 1n << 40n, [{ column: "title", value: "A" }]));
    const calls: string[] = [];
    const fake: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      calls.push(`${url.pathname} ${new Headers(init?.headers).get("authorization")}`);
      const page = unwrapOrThrow(
        gw.logPage(
          BigInt(url.searchParams.get("since") ?? "0") as HLCTimestamp,
          Number(url.searchParams.get("max") ?? "0"),
        ),
      );
      return new Response(unwrapOrThrow(encodeSyncResponse(page)) as Uint8Array<ArrayBuffer>);
    };
    const source = httpSource({ url: "http://gw.test/", gatewayId: "gw", token: "T", fetch: fake });
    const read = unwrapOrThrow(await reader(source).read("todos"));
    expect(Object.fromEntries(read.rows)).toEqual({ a: { title: "A" } });
    expect(calls[0]).toBe("/admin/log/gw Bearer T");
    const expiring = httpSource({
      url: "http://gw.test",
      gatewayId: "gw",
      token: "T",
      fetch: async () =>
        new Response(JSON.stringify({ code: "CURSOR_EXPIRED", message: "old" }), { status: 410 }),
    });
    const expired = await reader(expiring).read("todos");
    expect(expired.ok ? undefined : expired.error.code).toBe("GATEWAY_UNAVAILABLE");
    const down = httpSource({
      url: "http://gw.test",
      gatewayId: "gw",
      token: "T",
      fetch: async () => {
        throw new LakeSyncError("X", "connection refused");
      },
    });
    const unreachable = await reader(down).read("todos");
    expect(unreachable.ok ? "" : unreachable.error.message).toContain(
      "cannot reach http://gw.test",
    );
  });
});
