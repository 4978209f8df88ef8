import {
  applyToRowState,
  EMPTY_ROW_STATE,
  HLC_ZERO,
  materialiseRow,
  type Row,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SyncGateway } from "../gateway/sync-gateway.js";
import { delta, FakeLake, hlcAt, ManualClock, TODOS, testStore } from "./fixtures.js";
import { Replica } from "./support/replica.js";

/** One step of a history: a write by a client (possibly held back offline), a join, a sync. */
const step = fc.oneof(
  fc.record({
    kind: fc.constant("write" as const),
    client: fc.integer({ min: 0, max: 2 }),
    op: fc.constantFrom("INSERT" as const, "UPDATE" as const, "DELETE" as const),
    row: fc.integer({ min: 0, max: 1 }),
    title: fc.string({ maxLength: 3 }),
    done: fc.boolean(),
    /** How far back the write's HLC is: offline writes arrive late with old stamps. */
    age: fc.integer({ min: 0, max: 50 }),
    offline: fc.boolean(),
    /** Whether a replica joins right after this write. */
    join: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("deliver" as const), client: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("join" as const) }),
  fc.record({ kind: fc.constant("flush" as const) }),
  fc.record({ kind: fc.constant("pull" as const), replica: fc.integer({ min: 0, max: 5 }) }),
);

describe("convergence with checkpoints", () => {
  it("a replica that joined after a delete does not resurrect the row when an older offline write arrives", async () => {
    const clock = new ManualClock();
    const gateway = unwrapOrThrow(
      await SyncGateway.open({
        store: testStore(),
        gatewayId: "gw",
        now: clock.now,
        autoFlush: false,
      }),
    );
    unwrapOrThrow(await gateway.setSchema(TODOS));
    const push = async (clientId: string, deltas: RowDelta[]) =>
      unwrapOrThrow(await gateway.handlePush({ clientId, deltas, lastSeenHlc: HLC_ZERO }));
    await push("a", [
      delta({
        rowId: "r",
        clientId: "a",
        hlc: hlcAt(clock, 0, 1),
        columns: { title: "x", done: false },
      }),
    ]);
    // b ticks the todo while offline; a deletes it later; a new replica joins; b comes online.
    const offline = delta({
      op: "UPDATE",
      rowId: "r",
      clientId: "b",
      hlc: hlcAt(clock, 10),
      columns: { done: true },
    });
    await push("a", [delta({ op: "DELETE", rowId: "r", clientId: "a", hlc: hlcAt(clock, 20) })]);
    clock.ms += 100;
    const joined = new Replica(gateway, {});
    await joined.bootstrap();
    await push("b", [offline]);
    await joined.pull();
    expect(joined.rows()).toEqual({});
  });

  it("replicas joining from checkpoints at any point, with deletes and late offline writes, converge to the gateway (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const clock = new ManualClock();
        const gateway = unwrapOrThrow(
          await SyncGateway.open({
            store: testStore(),
            gatewayId: "gw",
            now: clock.now,
            autoFlush: false,
            target: { kind: "lake", adapter: new FakeLake(), format: "json" },
            // A short log: replicas that fall behind restart from a checkpoint (CURSOR_EXPIRED).
            logRetention: 5,
          }),
        );
        unwrapOrThrow(await gateway.setSchema(TODOS));
        const replicas: Replica[] = [new Replica(gateway, {})];
        const outboxes: RowDelta[][] = [[], [], []];
        /** Every delta the gateway accepted, to rebuild its rows independently. */
        const accepted: RowDelta[] = [];
        let n = 0;
        const deliver = async (client: number) => {
          const deltas = outboxes[client]?.splice(0) ?? [];
          if (deltas.length === 0) return;
          unwrapOrThrow(
            await gateway.handlePush({ clientId: `c${client}`, deltas, lastSeenHlc: HLC_ZERO }),
          );
          accepted.push(...deltas);
        };
        for (const s of steps) {
          clock.ms += 100;
          if (s.kind === "write") {
            const columns =
              s.op === "DELETE"
                ? {}
                : s.op === "INSERT"
                  ? { title: s.title, done: s.done }
                  : { done: s.done };
            const d = delta({
              op: s.op,
              rowId: `r${s.row}`,
              clientId: `c${s.client}`,
              hlc: hlcAt(clock, -s.age * 10, ++n),
              columns,
            });
            outboxes[s.client]?.push(d);
            if (!s.offline) await deliver(s.client);
            if (s.join) {
              const replica = new Replica(gateway, {});
              await replica.bootstrap();
              replicas.push(replica);
            }
          } else if (s.kind === "deliver") await deliver(s.client);
          else if (s.kind === "join") {
            const replica = new Replica(gateway, {});
            await replica.bootstrap();
            replicas.push(replica);
          } else if (s.kind === "flush") unwrapOrThrow(await gateway.flush());
          else await replicas[s.replica % replicas.length]?.pull();
        }
        for (let c = 0; c < 3; c++) await deliver(c);
        const expected: Record<string, Row> = {};
        const states = new Map<string, ReturnType<typeof applyToRowState>>();
        for (const d of accepted)
          states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
        for (const [rowId, state] of [...states].sort(([a], [b]) => (a < b ? -1 : 1))) {
          const row = materialiseRow(state);
          if (row) expected[`todos/${rowId}`] = row;
        }
        for (const replica of replicas) {
          await replica.pull();
          expect(replica.rows()).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});
