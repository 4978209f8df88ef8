/**
 * Realtime messages carry each subscriber's share of a change, filtered by its sync rules with
 * the pull's own code: a subscriber never receives a row it may not read, rows that move in and
 * out of its view reach it as a pull delivers them, and its own writes are not echoed back.
 */
import { type Claims, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { decodeSyncNotification, type SyncNotification } from "@lakesync/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  delta,
  hlcAt,
  ManualClock,
  SHARED_RULES,
  SHARED_TODOS,
  testStore,
} from "../../__tests__/fixtures.js";
import { Replica } from "../../__tests__/support/replica.js";
import { SyncGateway } from "../../gateway/sync-gateway.js";
import type { RealtimeChange, Subscriber } from "../realtime-change.js";

const USERS = ["alice", "bob"] as const;

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
  const push = async (
    sub: string,
    op: RowDelta["op"],
    rowId: string,
    columns: Record<string, string | boolean> = {},
    clientId = `${sub}-phone`,
  ) => {
    clock.ms += 1;
    const d = delta({ op, rowId, clientId, hlc: hlcAt(clock, 0, ++n), columns });
    return unwrapOrThrow(
      await gateway.handlePush({ clientId, deltas: [d], lastSeenHlc: HLC_ZERO }, {
        sub,
      } as Claims),
    );
  };
  /** Every change's message for `subscriber`, built while the listener runs (as hosts do). */
  const listen = (subscriber: Subscriber) => {
    const seen: SyncNotification[] = [];
    gateway.subscribe((change) => seen.push(change.notificationFor(subscriber)));
    return seen;
  };
  return { gateway, push, listen };
}

/** A replica fed only by realtime messages, pulling when one does not follow on its cursor. */
class RealtimeReplica extends Replica {
  pulls = 0;

  async receive(n: SyncNotification): Promise<void> {
    const since = n.sinceHlc ?? HLC_ZERO;
    if (n.kind !== "deltas" || since > this.cursor) {
      this.pulls++;
      return this.pull();
    }
    if (n.serverHlc <= this.cursor) return;
    this.apply(n.deltas);
    this.evict(n.evicted);
    this.cursor = n.serverHlc;
  }
}

describe("realtime messages", () => {
  it("carry another user's shared row but never a private one (two users)", async () => {
    const { push, listen } = await setup();
    const alice = listen({ claims: { sub: "alice" } });
    await push("bob", "INSERT", "secret", { title: "bob only", owner: "bob", private: true });
    await push("bob", "INSERT", "open", { title: "for all", owner: "bob", private: false });
    expect(alice.map((n) => n.deltas.map((d) => d.rowId))).toEqual([[], ["open"]]);
    expect(alice[0]).toMatchObject({ kind: "deltas", tables: [], deltas: [] });
    expect(alice[1]?.sinceHlc).toBe(alice[0]?.serverHlc);
  });

  it("a row that leaves a subscriber's view is evicted, and comes back whole", async () => {
    const { push, listen } = await setup();
    await push("bob", "INSERT", "s1", { title: "plan", owner: "bob", private: false });
    const alice = listen({ claims: { sub: "alice" } });
    await push("bob", "UPDATE", "s1", { private: true });
    await push("bob", "UPDATE", "s1", { title: "secret plan" });
    await push("bob", "UPDATE", "s1", { private: false });
    expect(alice[0]).toMatchObject({ deltas: [], evicted: [{ table: "todos", rowId: "s1" }] });
    expect(alice[1]).toMatchObject({ deltas: [], tables: [] });
    expect(alice[1]?.evicted).toBeUndefined();
    const back = alice[2]?.deltas ?? [];
    expect(new Set(back.flatMap((d) => d.columns.map((c) => c.column)))).toEqual(
      new Set(["title", "owner", "private"]),
    );
    expect(back.flatMap((d) => d.columns).find((c) => c.column === "title")?.value).toBe(
      "secret plan",
    );
  });

  it("leave out the subscriber's own writes but not those of its other devices", async () => {
    const { push, listen } = await setup();
    const phone = listen({ claims: { sub: "alice" }, clientId: "alice-phone" });
    const laptop = listen({ claims: { sub: "alice" }, clientId: "alice-laptop" });
    await push("alice", "INSERT", "a1", { title: "mine", owner: "alice", private: true });
    expect(phone[0]?.deltas).toEqual([]);
    expect(laptop[0]?.deltas.map((d) => d.rowId)).toEqual(["a1"]);
    expect(phone[0]?.serverHlc).toBe(laptop[0]?.serverHlc);
  });

  it("follow on the cursor of a sync rules change, so older cursors see a gap", async () => {
    const { gateway, push, listen } = await setup();
    const alice = listen({ claims: { sub: "alice" } });
    await push("alice", "INSERT", "a1", { title: "x", owner: "alice", private: true });
    const own = { ...SHARED_RULES, buckets: SHARED_RULES.buckets.slice(0, 1) };
    unwrapOrThrow(await gateway.setSyncRules(own));
    const rulesChanged = gateway.head;
    await push("alice", "INSERT", "a2", { title: "y", owner: "alice", private: true });
    const [first, changed, second] = alice;
    expect(rulesChanged).toBeGreaterThan(first?.serverHlc ?? HLC_ZERO);
    // The rules change itself reaches every socket as a bare "changed": subscribers pull at once.
    expect(changed).toEqual({ serverHlc: rulesChanged, tables: [], deltas: [] });
    expect(second?.sinceHlc).toBe(rulesChanged);
    // A client at the first message's cursor must not apply the second: its pull expires.
    const expired = await gateway.handlePull(
      { clientId: "c", sinceHlc: first?.serverHlc ?? HLC_ZERO, maxDeltas: 0 },
      { sub: "alice" },
    );
    expect(!expired.ok && expired.error.code).toBe("CURSOR_EXPIRED");
  });

  it("carry no rows to a subscriber whose token has expired, only 'changed'", async () => {
    const { push, listen } = await setup();
    // The setup's manual clock starts at 1 750 000 000 000 ms.
    const lapsed = listen({ claims: { sub: "alice", exp: 1_700_000_000 } });
    const valid = listen({ claims: { sub: "alice", exp: 1_800_000_000 } });
    await push("alice", "INSERT", "a1", { title: "x", owner: "alice", private: true });
    expect(lapsed[0]).toEqual({ serverHlc: valid[0]?.serverHlc, tables: [], deltas: [] });
    expect(valid[0]?.deltas.map((d) => d.rowId)).toEqual(["a1"]);
  });

  it("say only 'changed' when the subscriber's share would be too large", async () => {
    const { gateway, push } = await setup();
    const sizes: SyncNotification[] = [];
    gateway.subscribe((change: RealtimeChange) => {
      sizes.push(
        unwrapOrThrow(
          decodeSyncNotification(unwrapOrThrow(change.encodeFor({ claims: { sub: "alice" } }, 64))),
        ),
      );
      sizes.push(
        unwrapOrThrow(
          decodeSyncNotification(unwrapOrThrow(change.encodeFor({ claims: { sub: "alice" } }))),
        ),
      );
    });
    await push("alice", "INSERT", "a1", { title: "x".repeat(100), owner: "alice", private: true });
    expect(sizes[0]).toEqual({ serverHlc: sizes[1]?.serverHlc, tables: ["todos"], deltas: [] });
    expect(sizes[1]).toMatchObject({ kind: "deltas", tables: ["todos"] });
    expect(sizes[1]?.deltas).toHaveLength(1);
  });

  it("hostile interleavings: each message is exactly the pull from its cursor, and realtime replicas converge", async () => {
    const op = fc.record({
      sub: fc.constantFrom(...USERS),
      row: fc.constantFrom("r1", "r2", "r3", "r4"),
      kind: fc.constantFrom("create", "share", "hide", "rename", "delete"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { gateway, push } = await setup();
        const replicas = new Map(USERS.map((u) => [u, new RealtimeReplica(gateway, { sub: u })]));
        const inbox = new Map<string, SyncNotification[]>(USERS.map((u) => [u, []]));
        const compared: { sent: unknown; pulled: unknown }[] = [];
        gateway.subscribe((change) => {
          for (const sub of USERS) {
            const claims = { sub };
            const message = change.notificationFor({ claims });
            // The same moment's pull from the message's cursor: what the rule lets through.
            void gateway
              .handlePull(
                { clientId: "probe", sinceHlc: change.sinceHlc, maxDeltas: 10_000 },
                claims,
              )
              .then((page) => {
                const pulled = unwrapOrThrow(page);
                compared.push({
                  sent: [message.deltas, message.evicted ?? []],
                  pulled: [pulled.deltas, pulled.evicted ?? []],
                });
              });
            inbox.get(sub)?.push(message);
          }
        });
        for (const { sub, row, kind } of ops) {
          const id = `${sub}-${row}`;
          if (kind === "create")
            await push(sub, "INSERT", id, { title: id, owner: sub, private: true });
          else if (kind === "share") await push(sub, "UPDATE", id, { private: false });
          else if (kind === "hide") await push(sub, "UPDATE", id, { private: true });
          else if (kind === "rename") {
            const other = sub === "alice" ? "bob" : "alice";
            await push(sub, "UPDATE", `${other}-${row}`, { title: `renamed by ${sub}` });
          } else await push(sub, "DELETE", id);
        }
        for (const { sent, pulled } of compared) expect(sent).toEqual(pulled);
        for (const sub of USERS) {
          const replica = replicas.get(sub);
          if (!replica) throw new Error("no replica");
          for (const message of inbox.get(sub) ?? []) await replica.receive(message);
          const fresh = new Replica(gateway, { sub });
          await fresh.bootstrap();
          expect(replica.rows()).toEqual(fresh.rows());
          expect(replica.pulls).toBe(0);
        }
        await gateway.close({ flush: false });
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  });
});
