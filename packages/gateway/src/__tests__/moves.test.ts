import { type Claims, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SyncGateway } from "../gateway/sync-gateway.js";
import { delta, hlcAt, ManualClock, SHARED_RULES, SHARED_TODOS, testStore } from "./fixtures.js";
import { Replica } from "./support/replica.js";

async function setup() {
  const clock = new ManualClock();
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      store: testStore(),
      gatewayId: "gw",
      now: clock.now,
      autoFlush: false,
    }),
  );
  unwrapOrThrow(await gateway.setSchema(SHARED_TODOS));
  unwrapOrThrow(await gateway.setSyncRules(SHARED_RULES));
  let n = 0;
  const push = async (sub: string, op: RowDelta["op"], rowId: string, columns = {}) => {
    clock.ms += 1;
    const d = delta({ op, rowId, clientId: `${sub}-phone`, hlc: hlcAt(clock, 0, ++n), columns });
    return unwrapOrThrow(
      await gateway.handlePush({ clientId: `${sub}-phone`, deltas: [d], lastSeenHlc: HLC_ZERO }, {
        sub,
      } as Claims),
    );
  };
  /** What a client started from nothing now would hold. */
  const fresh = async (sub: string) => {
    const replica = new Replica(gateway, { sub });
    await replica.bootstrap();
    return replica.rows();
  };
  return { gateway, push, fresh };
}

describe("rows that move in and out of a user's view", () => {
  it("a row made private leaves the other users' replicas; shared again, it comes back whole", async () => {
    const { gateway, push, fresh } = await setup();
    await push("bob", "INSERT", "s1", { title: "plan", owner: "bob", private: false });
    const alice = new Replica(gateway, { sub: "alice" });
    await alice.pull();
    expect(alice.rows()).toEqual({ "todos/s1": { title: "plan", owner: "bob", private: false } });
    await push("bob", "UPDATE", "s1", { private: true });
    await push("bob", "UPDATE", "s1", { title: "secret plan" });
    await alice.pull();
    expect(alice.rows()).toEqual(await fresh("alice"));
    expect(alice.rows()).toEqual({});
    await push("bob", "UPDATE", "s1", { private: false });
    await alice.pull();
    expect(alice.rows()).toEqual({
      "todos/s1": { title: "secret plan", owner: "bob", private: false },
    });
    expect(alice.rows()).toEqual(await fresh("alice"));
  });

  it("a row never sent in between (private, changed, shared again within one page) arrives whole", async () => {
    const { gateway, push, fresh } = await setup();
    const alice = new Replica(gateway, { sub: "alice" });
    await push("bob", "INSERT", "s1", { title: "a", owner: "bob", private: true });
    await push("bob", "UPDATE", "s1", { title: "b" });
    await push("bob", "UPDATE", "s1", { private: false });
    await alice.pull();
    expect(alice.rows()).toEqual(await fresh("alice"));
    expect(alice.rows()["todos/s1"]).toEqual({ title: "b", owner: "bob", private: false });
  });

  it("a row that leaves and comes back is never leaked while private (property)", async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant("share" as const),
        row: fc.integer({ min: 0, max: 3 }),
        value: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant("title" as const),
        row: fc.integer({ min: 0, max: 3 }),
        value: fc.string({ maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant("delete" as const),
        row: fc.integer({ min: 0, max: 3 }),
        value: fc.constant(0),
      }),
      fc.record({ kind: fc.constant("pull" as const), row: fc.constant(0), value: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { gateway, push, fresh } = await setup();
        for (let r = 0; r < 4; r++)
          await push("bob", "INSERT", `s${r}`, {
            title: `t${r}`,
            owner: "bob",
            private: r % 2 === 0,
          });
        const alice = new Replica(gateway, { sub: "alice" });
        for (const s of steps) {
          if (s.kind === "share") await push("bob", "UPDATE", `s${s.row}`, { private: !s.value });
          else if (s.kind === "title")
            await push("bob", "UPDATE", `s${s.row}`, { title: String(s.value) });
          else if (s.kind === "delete") await push("bob", "DELETE", `s${s.row}`);
          else {
            await alice.pull();
            expect(alice.rows()).toEqual(await fresh("alice"));
          }
        }
        await alice.pull();
        expect(alice.rows()).toEqual(await fresh("alice"));
      }),
      { numRuns: 60 },
    );
  });
});
