import "@lakesync/parquet/node";
import { HLC_ZERO, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { collectCheckpoint } from "../checkpoint/build-checkpoint.js";
import { SyncGateway } from "../gateway/sync-gateway.js";
import {
  delta,
  hlcAt,
  OWNER_RULES,
  openGateway as open,
  pullAll,
  TODOS,
  testStore,
} from "./fixtures.js";

describe("SyncGateway push and pull", () => {
  it("acknowledges a push with a server HLC and serves the deltas back to a pull", async () => {
    const { gateway, clock } = await open();
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "milk", done: false } });
    const ack = unwrapOrThrow(
      await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO }),
    );
    expect(ack.accepted).toBe(1);
    expect(ack.serverHlc > d.hlc).toBe(true);
    const page = await pullAll(gateway);
    expect(page.deltas).toEqual([d]);
    expect(page.hasMore).toBe(false);
    const again = await pullAll(gateway, page.serverHlc);
    expect(again.deltas).toEqual([]);
    expect(again.serverHlc).toBe(page.serverHlc);
  });

  it("a re-push of the same deltas is a no-op (deduplicated)", async () => {
    const { gateway, clock } = await open();
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "milk" } });
    await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    const second = unwrapOrThrow(
      await gateway.handlePush({ clientId: "client-a", deltas: [d, d], lastSeenHlc: HLC_ZERO }),
    );
    expect(second.accepted).toBe(0);
    expect((await pullAll(gateway)).deltas).toHaveLength(1);
  });

  it("a late delta never overwrites a newer column (last writer wins per column)", async () => {
    const { gateway, clock } = await open();
    const newer = delta({
      rowId: "t1",
      clientId: "b",
      hlc: hlcAt(clock, 0, 5),
      columns: { title: "new" },
    });
    const older = delta({
      rowId: "t1",
      clientId: "a",
      hlc: hlcAt(clock, 0, 1),
      columns: { title: "old", done: true },
    });
    await gateway.handlePush({ clientId: "b", deltas: [newer], lastSeenHlc: HLC_ZERO });
    const ack = unwrapOrThrow(
      await gateway.handlePush({ clientId: "a", deltas: [older], lastSeenHlc: HLC_ZERO }),
    );
    expect(ack.accepted).toBe(1); // `done` is new information
    const checkpoint = unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await gateway.checkpoint())),
    );
    const deltas = checkpoint.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    const title = deltas.flatMap((d) => d.columns).find((c) => c.column === "title");
    expect(title?.value).toBe("new");
  });

  it("rejects a clock more than 5 s ahead and applies nothing of that push", async () => {
    const { gateway, clock } = await open();
    const ok = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "fine" } });
    const ahead = delta({ rowId: "t2", hlc: hlcAt(clock, 60_000), columns: { title: "future" } });
    const result = await gateway.handlePush({
      clientId: "client-a",
      deltas: [ok, ahead],
      lastSeenHlc: HLC_ZERO,
    });
    expect(!result.ok && result.error.code).toBe("CLOCK_DRIFT");
    expect((await pullAll(gateway)).deltas).toEqual([]);
  });

  it("rejects unknown tables, unknown columns and wrongly typed values under the strict policy", async () => {
    const { gateway, clock } = await open();
    const push = (d: ReturnType<typeof delta>) =>
      gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    const codes = await Promise.all([
      push(delta({ table: "nope", rowId: "x", hlc: hlcAt(clock), columns: { a: 1 } })),
      push(delta({ rowId: "x", hlc: hlcAt(clock), columns: { colour: "red" } })),
      push(delta({ rowId: "x", hlc: hlcAt(clock), columns: { done: "yes" } })),
    ]);
    expect(codes.map((r) => !r.ok && r.error.code)).toEqual([
      "SCHEMA_MISMATCH",
      "SCHEMA_MISMATCH",
      "SCHEMA_MISMATCH",
    ]);
    expect(gateway.stats().logEntries).toBe(0);
  });

  it("grows the schema under the additive policy and serves the new version", async () => {
    const { gateway, clock } = await open({ schemaPolicy: "additive" });
    const before = gateway.schemas().version;
    await gateway.handlePush({
      clientId: "client-a",
      deltas: [
        delta({
          table: "notes",
          rowId: "n1",
          hlc: hlcAt(clock),
          columns: { body: "hi", stars: 3 },
        }),
      ],
      lastSeenHlc: HLC_ZERO,
    });
    const after = gateway.schemas();
    expect(after.version).toBeGreaterThan(before);
    expect(after.tables.find((t) => t.table === "notes")?.columns).toEqual([
      { name: "body", type: "string" },
      { name: "stars", type: "number" },
    ]);
  });

  it("refuses a delta whose clientId is not the pusher's, and oversized pushes", async () => {
    const { gateway, clock } = await open({ maxPushDeltas: 2 });
    const d = delta({
      rowId: "t1",
      clientId: "mallory",
      hlc: hlcAt(clock),
      columns: { title: "x" },
    });
    const spoof = await gateway.handlePush({
      clientId: "client-a",
      deltas: [d],
      lastSeenHlc: HLC_ZERO,
    });
    expect(!spoof.ok && spoof.error.code).toBe("INVALID_INPUT");
    const many = [1, 2, 3].map((i) =>
      delta({ rowId: `t${i}`, hlc: hlcAt(clock, 0, i), columns: { title: "x" } }),
    );
    const big = await gateway.handlePush({
      clientId: "client-a",
      deltas: many,
      lastSeenHlc: HLC_ZERO,
    });
    expect(!big.ok && big.error.code).toBe("TOO_MANY_DELTAS");
  });

  it("paginates pulls with hasMore and a cursor that never skips a delta", async () => {
    const { gateway, clock } = await open();
    const deltas = Array.from({ length: 25 }, (_, i) =>
      delta({ rowId: `t${i}`, hlc: hlcAt(clock, 0, i), columns: { title: `#${i}` } }),
    );
    await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO });
    const seen: string[] = [];
    let since = HLC_ZERO;
    for (let pages = 0; pages < 10; pages++) {
      const page = unwrapOrThrow(
        await gateway.handlePull({ clientId: "r", sinceHlc: since, maxDeltas: 10 }),
      );
      seen.push(...page.deltas.map((d) => d.rowId));
      since = page.serverHlc;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(deltas.map((d) => d.rowId));
  });

  it("filters pulls by sync rules, including updates and deletes that lack the filtered column", async () => {
    const { gateway, clock } = await open({ syncRules: OWNER_RULES });
    const alice = delta({
      rowId: "a1",
      clientId: "ca",
      hlc: hlcAt(clock, 0, 1),
      columns: { title: "A", owner: "alice" },
    });
    const bob = delta({
      rowId: "b1",
      clientId: "cb",
      hlc: hlcAt(clock, 0, 2),
      columns: { title: "B", owner: "bob" },
    });
    const edit = delta({
      op: "UPDATE",
      rowId: "a1",
      clientId: "ca",
      hlc: hlcAt(clock, 0, 3),
      columns: { done: true },
    });
    const gone = delta({ op: "DELETE", rowId: "b1", clientId: "cb", hlc: hlcAt(clock, 0, 4) });
    unwrapOrThrow(
      await gateway.handlePush(
        { clientId: "ca", deltas: [alice, edit], lastSeenHlc: HLC_ZERO },
        { sub: "alice" },
      ),
    );
    unwrapOrThrow(
      await gateway.handlePush(
        { clientId: "cb", deltas: [bob, gone], lastSeenHlc: HLC_ZERO },
        { sub: "bob" },
      ),
    );
    const forAlice = await pullAll(gateway, HLC_ZERO, { sub: "alice" });
    const forBob = await pullAll(gateway, HLC_ZERO, { sub: "bob" });
    expect(forAlice.deltas.map((d) => `${d.op} ${d.rowId}`)).toEqual(["INSERT a1", "UPDATE a1"]);
    expect(forBob.deltas.map((d) => `${d.op} ${d.rowId}`)).toEqual(["INSERT b1", "DELETE b1"]);
    expect((await pullAll(gateway, HLC_ZERO, {})).deltas).toEqual([]);
  });

  it("sync rules set through the admin call are validated and stored", async () => {
    const store = testStore();
    const { gateway } = await open({ store });
    const bad = await gateway.setSyncRules({
      version: 1,
      buckets: [{ name: "x", tables: [{ table: 3 }] }],
    });
    expect(bad.ok).toBe(false);
    unwrapOrThrow(await gateway.setSyncRules(OWNER_RULES));
    const reopened = unwrapOrThrow(
      await SyncGateway.open({ gatewayId: "gw1", store, autoFlush: false }),
    );
    expect(reopened.syncRules).toEqual(OWNER_RULES);
    expect(reopened.schemaOf("todos")).toEqual(TODOS);
  });

  it("notifies subscribers after a push that logged something", async () => {
    const { gateway, clock } = await open();
    const seen: string[][] = [];
    const stop = gateway.subscribe((n) => seen.push([...n.tables]));
    const d = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "x" } });
    await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO });
    stop();
    expect(seen).toEqual([["todos"]]);
  });
});
