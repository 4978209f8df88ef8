import { icebergFlushTarget, type TableMetadata } from "@lakesync/catalogue";
import { type HLCTimestamp, Ok, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { delta, MiniGateway } from "../../__tests__/support/mini-gateway.js";
import { HISTORY_RETAINED_FROM_PROPERTY, TimeTraveller } from "../../index.js";

const SCHEMA: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
const hlc = (wall: number) => (BigInt(wall) << 16n) as HLCTimestamp;
let lake: TestLake;
let traveller: TimeTraveller;

beforeEach(async () => {
  lake = await openTestLake();
  traveller = new TimeTraveller({
    catalogue: lake.catalogue,
    location: lake.location,
    namespace: ["gw"],
  });
  const gw = new MiniGateway("gw", lake, new Map([["todos", SCHEMA]]));
  gw.apply(delta("INSERT", "todos", "a", "c", hlc(100), [{ column: "title", value: "A" }]));
  gw.apply(delta("INSERT", "todos", "b", "c", hlc(110), [{ column: "title", value: "B" }]));
  await gw.flushAll();
  gw.apply(delta("UPDATE", "todos", "a", "c", hlc(200), [{ column: "title", value: "A2" }]));
  gw.apply(delta("DELETE", "todos", "b", "c", hlc(210)));
  await gw.flushAll();
});
afterEach(async () => {
  await lake.close();
});

const metadata = async (name = "todos"): Promise<TableMetadata> =>
  unwrapOrThrow(await lake.catalogue.loadTable({ namespace: ["gw"], name })).metadata;

describe("TimeTraveller", () => {
  it("as of a snapshot, by id or by time: exactly that snapshot's rows", async () => {
    const [first, second] = (await metadata()).snapshots ?? [];
    const byId = unwrapOrThrow(
      await traveller.asOfSnapshot("todos", { snapshotId: first?.["snapshot-id"] ?? 0 }),
    );
    expect(Object.fromEntries(byId.rows)).toEqual({ a: { title: "A" }, b: { title: "B" } });
    const byTime = unwrapOrThrow(
      await traveller.asOfSnapshot("todos", { asOfTimestampMs: second?.["timestamp-ms"] ?? 0 }),
    );
    expect(Object.fromEntries(byTime.rows)).toEqual({ a: { title: "A2" } });
    const before = unwrapOrThrow(await traveller.asOfSnapshot("todos", { asOfTimestampMs: 0 }));
    expect(before.rows.size).toBe(0);
  });

  it("as of an HLC: the flushed deltas at or before it", async () => {
    const at = async (wall: number) =>
      Object.fromEntries(unwrapOrThrow(await traveller.asOfHlc("todos", hlc(wall))).rows);
    expect(await at(50)).toEqual({});
    expect(await at(105)).toEqual({ a: { title: "A" } });
    expect(await at(205)).toEqual({ a: { title: "A2" }, b: { title: "B" } });
    expect(await at(999)).toEqual({ a: { title: "A2" } });
    const history = unwrapOrThrow(await traveller.history("todos"));
    expect(history.moments()).toEqual([hlc(100), hlc(110), hlc(200), hlc(210)]);
  });

  it("an expired snapshot, or a moment before the oldest kept one, is BEYOND_RETENTION", async () => {
    const meta = await metadata();
    const first = meta.snapshots?.[0];
    unwrapOrThrow(
      await lake.catalogue.commitTable(
        { namespace: ["gw"], name: "todos" },
        [],
        [{ action: "remove-snapshots", "snapshot-ids": [first?.["snapshot-id"] ?? 0] }],
      ),
    );
    const byId = await traveller.asOfSnapshot("todos", { snapshotId: first?.["snapshot-id"] ?? 0 });
    expect(byId.ok ? undefined : byId.error.code).toBe("BEYOND_RETENTION");
    const byTime = await traveller.asOfSnapshot("todos", {
      asOfTimestampMs: first?.["timestamp-ms"] ?? 0,
    });
    expect(byTime.ok ? undefined : byTime.error.code).toBe("BEYOND_RETENTION");
  });

  it("an HLC older than the history keeps is BEYOND_RETENTION, never a partial answer", async () => {
    unwrapOrThrow(
      await lake.catalogue.commitTable(
        { namespace: ["gw"], name: "_lakesync_history" },
        [],
        [
          {
            action: "set-properties",
            updates: { [HISTORY_RETAINED_FROM_PROPERTY]: String(hlc(150)) },
          },
        ],
      ),
    );
    const old = await traveller.asOfHlc("todos", hlc(120));
    expect(old.ok ? undefined : old.error).toMatchObject({ code: "BEYOND_RETENTION" });
    expect(old.ok ? "" : old.error.message).toContain(String(hlc(150)));
    expect((await traveller.asOfHlc("todos", hlc(150))).ok).toBe(true);
  });

  it("a lake without history cannot travel by HLC (BEYOND_RETENTION), but can by snapshot", async () => {
    const other = await openTestLake();
    const target = icebergFlushTarget({
      catalogue: other.catalogue,
      location: other.location,
      namespace: ["gw"],
      history: false,
    });
    const d = delta("INSERT", "todos", "a", "c", hlc(100), [{ column: "title", value: "A" }]);
    const written = unwrapOrThrow(
      await target.write({
        gatewayId: "gw",
        table: "todos",
        schema: SCHEMA,
        entries: [{ seq: hlc(1), delta: d }],
        range: { min: hlc(1), max: hlc(1) },
        at: new Date(0),
        rowStates: async () =>
          Ok(
            new Map([["a", { columns: { title: { value: "A", hlc: hlc(100), clientId: "c" } } }]]),
          ),
      }),
    );
    unwrapOrThrow(await written.commit());
    const t = new TimeTraveller({
      catalogue: other.catalogue,
      location: other.location,
      namespace: ["gw"],
    });
    const read = await t.asOfHlc("todos", hlc(100));
    expect(read.ok ? undefined : read.error.code).toBe("BEYOND_RETENTION");
    expect((await t.asOfSnapshot("todos", { asOfTimestampMs: Date.now() })).ok).toBe(true);
    await other.close();
  });
});
