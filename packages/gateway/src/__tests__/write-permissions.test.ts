import { type Claims, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { SyncGateway } from "../gateway/sync-gateway.js";
import { delta, hlcAt, ManualClock, SHARED_RULES, SHARED_TODOS, testStore } from "./fixtures.js";
import { Replica } from "./support/replica.js";

async function setup(store = testStore(), clock = new ManualClock()) {
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: "gw", store, now: clock.now, autoFlush: false }),
  );
  unwrapOrThrow(await gateway.setSchema(SHARED_TODOS));
  unwrapOrThrow(await gateway.setSyncRules(SHARED_RULES));
  let n = 0;
  const write = (
    sub: string,
    op: RowDelta["op"],
    rowId: string,
    columns: Record<string, string | boolean> = {},
    clientId = `${sub}-phone`,
  ) => delta({ op, rowId, clientId, hlc: hlcAt(clock, 0, ++n), columns });
  const push = (sub: string, deltas: RowDelta[], clientId = `${sub}-phone`) =>
    gateway.handlePush({ clientId, deltas, lastSeenHlc: HLC_ZERO }, { sub } as Claims);
  return { gateway, clock, store, write, push };
}

describe("write permissions from sync rules", () => {
  it("refuses rows created for someone else, and never merges, logs or serves them", async () => {
    const { gateway, write, push } = await setup();
    const forged = write("alice", "INSERT", "t1", { title: "x", owner: "bob", private: true });
    const ack = unwrapOrThrow(await push("alice", [forged]));
    expect(ack.accepted).toBe(0);
    expect(ack.refused).toEqual([
      expect.objectContaining({ deltaId: forged.deltaId, rowId: "t1", code: "FORBIDDEN" }),
    ]);
    expect(ack.restore).toEqual({ deltas: [], evicted: [{ table: "todos", rowId: "t1" }] });
    expect(gateway.stats()).toMatchObject({ logEntries: 0, bufferedDeltas: 0, rows: 0 });
    const bob = new Replica(gateway, { sub: "bob" });
    await bob.pull();
    expect(bob.rows()).toEqual({});
  });

  it("another user's private row can be neither edited, deleted nor taken over", async () => {
    const { gateway, write, push } = await setup();
    unwrapOrThrow(
      await push("bob", [
        write("bob", "INSERT", "b1", { title: "bob's", owner: "bob", private: true }),
      ]),
    );
    for (const attempt of [
      write("alice", "UPDATE", "b1", { title: "hacked" }),
      write("alice", "DELETE", "b1"),
      write("alice", "UPDATE", "b1", { owner: "alice" }),
    ]) {
      const ack = unwrapOrThrow(await push("alice", [attempt]));
      expect(ack.refused.map((r) => r.code)).toEqual(["FORBIDDEN"]);
      // Alice may not read bob's private row: her replica is told to drop it, not shown it.
      expect(ack.restore?.evicted).toEqual([{ table: "todos", rowId: "b1" }]);
      expect(ack.restore?.deltas).toEqual([]);
    }
    const bob = new Replica(gateway, { sub: "bob" });
    await bob.pull();
    expect(bob.rows()).toEqual({ "todos/b1": { title: "bob's", owner: "bob", private: true } });
  });

  it("a shared row can be retitled by anyone, but only its owner may unshare it", async () => {
    const { gateway, write, push } = await setup();
    unwrapOrThrow(
      await push("bob", [
        write("bob", "INSERT", "s1", { title: "shared", owner: "bob", private: false }),
      ]),
    );
    expect(
      unwrapOrThrow(await push("alice", [write("alice", "UPDATE", "s1", { title: "ours" })]))
        .accepted,
    ).toBe(1);
    const unshare = unwrapOrThrow(
      await push("alice", [write("alice", "UPDATE", "s1", { private: true })]),
    );
    expect(unshare.refused).toHaveLength(1);
    // Alice still reads the row: the refusal carries the gateway's version of it, whole.
    const restored = new Replica(gateway, { sub: "alice" });
    restored.apply(unshare.restore?.deltas ?? []);
    expect(restored.rows()).toEqual({
      "todos/s1": { title: "ours", owner: "bob", private: false },
    });
    // Bob makes it private; alice, who saw it while shared, cannot share it again.
    unwrapOrThrow(await push("bob", [write("bob", "UPDATE", "s1", { private: true })]));
    const reshare = unwrapOrThrow(
      await push("alice", [write("alice", "UPDATE", "s1", { private: false })]),
    );
    expect(reshare.refused).toHaveLength(1);
    const carol = new Replica(gateway, { sub: "carol" });
    await carol.pull();
    expect(carol.rows()).toEqual({});
  });

  it("a push may create a row and change it in the same batch", async () => {
    const { write, push } = await setup();
    const ack = unwrapOrThrow(
      await push("alice", [
        write("alice", "INSERT", "a1", { title: "x", owner: "alice", private: true }),
        write("alice", "UPDATE", "a1", { done: true }),
      ]),
    );
    expect(ack).toMatchObject({ accepted: 2, refused: [] });
  });

  it("a client id belongs to the user who first pushed with it, also after a restart", async () => {
    const store = testStore();
    const first = await setup(store);
    unwrapOrThrow(
      await first.push("bob", [
        first.write("bob", "INSERT", "b1", { title: "b", owner: "bob", private: true }),
      ]),
    );
    await first.gateway.close();
    const { write, push } = await setup(store);
    const hijack = await push(
      "alice",
      [write("alice", "INSERT", "a1", { title: "a", owner: "alice", private: true }, "bob-phone")],
      "bob-phone",
    );
    expect(!hijack.ok && hijack.error.code).toBe("FORBIDDEN");
    expect(!hijack.ok && hijack.error.message).toMatch(/belongs to another user/);
  });

  it("without write grants, a client writes only rows it reads and cannot move one out of view", async () => {
    const { gateway, write, push } = await setup();
    unwrapOrThrow(await gateway.setSyncRules({ version: 1, buckets: SHARED_RULES.buckets }));
    unwrapOrThrow(
      await push("alice", [
        write("alice", "INSERT", "a1", { title: "a", owner: "alice", private: true }),
      ]),
    );
    const away = unwrapOrThrow(
      await push("alice", [write("alice", "UPDATE", "a1", { owner: "bob" })]),
    );
    expect(away.refused).toHaveLength(1);
    const forged = unwrapOrThrow(
      await push("alice", [
        write("alice", "INSERT", "x1", { title: "x", owner: "bob", private: true }),
      ]),
    );
    expect(forged.refused).toHaveLength(1);
  });
});
