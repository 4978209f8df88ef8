import { HLC, type TableSchema, TestClock, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { DEFAULT_LEASE_MS } from "../../queue/sync-queue.js";
import { SyncTracker } from "../../tracker/sync-tracker.js";
import { type Scheduler, SyncCoordinator } from "../sync-coordinator.js";
import { type Failure, FakeGateway } from "./fake-gateway.js";

const todos: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
/** Run count and seed come from PBT_RUNS / PBT_SEED, to replay a failure. */
const env =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const noTimers: Scheduler = { setTimeout: () => undefined, clearTimeout: () => undefined };

/** The system under test: one client (which can "crash" and restart) and a flaky gateway. */
interface Real {
  gateway: FakeGateway;
  clock: TestClock;
  queue: MemoryQueue;
  db: LocalDB;
  tracker: SyncTracker;
  sync: SyncCoordinator;
  written: Set<string>;
}
interface Model {
  writes: number;
}

async function boot(real: Omit<Real, "db" | "tracker" | "sync">): Promise<Real> {
  const db = unwrapOrThrow(await LocalDB.open({ name: "model", persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  const hlc = new HLC({ wallClock: real.clock.read });
  const tracker = new SyncTracker({ db, queue: real.queue, clock: hlc, clientId: "c" });
  unwrapOrThrow(await tracker.recover());
  const sync = new SyncCoordinator({
    db,
    queue: real.queue,
    transport: real.gateway.transport(),
    clock: hlc,
    clientId: "c",
    scheduler: noTimers,
    pushBatchSize: 3,
  });
  return { ...real, db, tracker, sync };
}

class Write implements fc.AsyncCommand<Model, Real> {
  constructor(readonly title: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    real.clock.advance(1);
    const delta = unwrapOrThrow(
      await real.tracker.insert("todos", { id: `t${model.writes}`, title: this.title }),
    );
    if (delta) real.written.add(delta.deltaId);
    model.writes++;
  }
  toString = () => `Write(${JSON.stringify(this.title)})`;
}

class Fail implements fc.AsyncCommand<Model, Real> {
  constructor(readonly failure: Failure) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    real.gateway.failures.push(this.failure);
  }
  toString = () => `Fail(${this.failure})`;
}

class Sync implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_model: Model, real: Real) {
    await real.sync.syncNow();
  }
  toString = () => "Sync";
}

class CrashMidPush implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_model: Model, real: Real) {
    // Claim a batch as a push would, then "crash" before the acknowledgement: the claim is
    // orphaned and the process restarts with the same durable outbox.
    await real.queue.claim({ max: 2 });
    const next = await boot(real);
    Object.assign(real, next);
  }
  toString = () => "CrashMidPush";
}

describe("the outbox never stalls", () => {
  it("after any mix of writes, failures and crashes, every write reaches the gateway exactly once", async () => {
    const commands = [
      fc.string({ maxLength: 5 }).map((t) => new Write(t)),
      fc.constantFrom<Failure>("network", "http500", "garbage", "lostAck").map((f) => new Fail(f)),
      fc.constant(new Sync()),
      fc.constant(new CrashMidPush()),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (cmds) => {
        const base = {
          gateway: new FakeGateway(),
          clock: new TestClock(),
          queue: undefined as unknown as MemoryQueue,
          written: new Set<string>(),
        };
        base.queue = new MemoryQueue({ now: base.clock.read });
        const real = await boot(base);
        await fc.asyncModelRun(() => ({ model: { writes: 0 }, real }), cmds);
        // The gateway recovers; leases of crashed claims expire; sync resumes by itself.
        real.gateway.failures.length = 0;
        real.clock.advance(DEFAULT_LEASE_MS);
        for (let i = 0; i < 10 && unwrapOrThrow(await real.queue.depth()) > 0; i++)
          await real.sync.syncNow();
        expect(unwrapOrThrow(await real.queue.depth())).toBe(0);
        const ids = real.gateway.log.map((e) => e.delta.deltaId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(real.written);
      }),
      {
        numRuns: Number(env.PBT_RUNS ?? 60),
        ...(env.PBT_SEED ? { seed: Number(env.PBT_SEED) } : {}),
      },
    );
  });
});
