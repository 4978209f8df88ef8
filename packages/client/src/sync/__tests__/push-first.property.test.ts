/**
 * Replicas that skip the pull after their writes (ADR-018) still converge: any interleaving of
 * local writes, cycles, realtime messages (delivered late, lost, too large to carry) and dropped
 * connections ends with every replica equal to the gateway's log merged from scratch — and once
 * every replica is current again, messages alone keep it so, with no pull.
 */
import { HLC, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { applyDeltas } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { SyncTracker } from "../../tracker/sync-tracker.js";
import { type Scheduler, SyncCoordinator } from "../sync-coordinator.js";
import { MessagingGateway } from "./messaging-gateway.js";

const todos: TableSchema = { table: "todos", columns: [{ name: "title", type: "string" }] };
/** Run count and seed come from PBT_RUNS / PBT_SEED, to replay a failure. */
const env =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const noTimers: Scheduler = { setTimeout: () => undefined, clearTimeout: () => undefined };
const CLIENTS = ["a", "b", "c"] as const;
type ClientId = (typeof CLIENTS)[number];

interface Replica {
  readonly db: LocalDB;
  readonly queue: MemoryQueue;
  readonly tracker: SyncTracker;
  readonly sync: SyncCoordinator;
}
interface Real {
  readonly gateway: MessagingGateway;
  readonly replicas: Record<ClientId, Replica>;
}

async function open(name: string): Promise<LocalDB> {
  const db = unwrapOrThrow(await LocalDB.open({ name, persistDebounceMs: 60_000 }));
  unwrapOrThrow(registerSchema(db, todos));
  return db;
}

async function replica(gateway: MessagingGateway, id: ClientId): Promise<Replica> {
  const db = await open(id);
  const queue = new MemoryQueue();
  const clock = new HLC();
  const transport = gateway.transport(id);
  const sync = new SyncCoordinator({
    db,
    queue,
    transport,
    clock,
    clientId: id,
    scheduler: noTimers,
  });
  return { db, queue, sync, tracker: new SyncTracker({ db, queue, clock, clientId: id }) };
}

/** Lets every cycle under way, and those it starts, run to its end. */
async function idle(real: Real): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const busy = CLIENTS.some((id) => real.replicas[id].sync.status === "syncing");
    quiet = busy ? 0 : quiet + 1;
  }
}

const rows = (db: LocalDB) =>
  unwrapOrThrow(db.query<{ id: string; title: string }>("SELECT id, title FROM todos ORDER BY id"));

type Step =
  | {
      readonly kind: "write";
      readonly client: ClientId;
      readonly row: number;
      readonly title: string;
    }
  | { readonly kind: "delete"; readonly client: ClientId; readonly row: number }
  | { readonly kind: "cycle"; readonly client: ClientId; readonly afterWrite: boolean }
  | { readonly kind: "deliver"; readonly client: ClientId; readonly count: number }
  | { readonly kind: "drop" | "changed" | "disconnect" | "reconnect"; readonly client: ClientId }
  | { readonly kind: "settle" };

/** Runs one step; cycles are started, not awaited, so that they interleave with what follows. */
async function run(step: Step, real: Real): Promise<void> {
  if (step.kind === "settle") return idle(real);
  const { gateway } = real;
  const { tracker, sync } = real.replicas[step.client];
  switch (step.kind) {
    case "write":
      unwrapOrThrow(await tracker.insert("todos", { id: `r${step.row}`, title: step.title }));
      return;
    case "delete":
      unwrapOrThrow(await tracker.delete("todos", `r${step.row}`));
      return;
    case "cycle":
      void sync.syncNow({ afterWrite: step.afterWrite });
      return;
    case "deliver":
      gateway.deliver(step.client, step.count);
      return;
    case "drop":
      return gateway.drop(step.client);
    case "changed":
      return gateway.bareChanged(step.client);
    case "disconnect":
      return gateway.disconnect(step.client);
    case "reconnect":
      return gateway.reconnect(step.client);
  }
}

const client = fc.constantFrom(...CLIENTS);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("write" as const),
      client,
      row: fc.nat(3),
      title: fc.string({ maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("delete" as const), client, row: fc.nat(3) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("cycle" as const), client, afterWrite: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("deliver" as const),
      client,
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "drop" as const,
        "changed" as const,
        "disconnect" as const,
        "reconnect" as const,
      ),
      client,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "settle" as const }) },
);

describe("replicas that push first after a write", () => {
  it("converge on the gateway's state with any interleaving of writes, cycles and messages", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const gateway = new MessagingGateway();
        const replicas = {} as Record<ClientId, Replica>;
        for (const id of CLIENTS) replicas[id] = await replica(gateway, id);
        const real: Real = { gateway, replicas };
        for (const id of CLIENTS) replicas[id].sync.start();
        await idle(real);
        for (const s of steps) await run(s, real);
        // Everyone connects again and catches up (those that were down pull once).
        for (const id of CLIENTS) gateway.reconnect(id);
        await idle(real);
        for (const id of CLIENTS) gateway.deliver(id);
        await idle(real);
        // One round of writes: a replica whose last message was lost sees the gap in the next
        // one and pulls. From then on messages alone must carry every write: no pull at all.
        const round = async (title: string) => {
          for (const id of CLIENTS) {
            const row = { id: `last-${id}`, title };
            unwrapOrThrow(await replicas[id].tracker.insert("todos", row));
            unwrapOrThrow(await replicas[id].sync.syncNow({ afterWrite: true }));
          }
          await idle(real);
          for (const id of CLIENTS) gateway.deliver(id);
          await idle(real);
        };
        await round("catch up");
        const from = gateway.calls.length;
        await round("first");
        await round("second");
        expect(gateway.calls.slice(from).filter((c) => c.startsWith("pull"))).toEqual([]);
        const reference = await open("reference");
        unwrapOrThrow(
          applyDeltas(
            reference,
            gateway.log.map((e) => e.delta),
          ),
        );
        const expected = rows(reference);
        for (const id of CLIENTS) {
          expect(unwrapOrThrow(await replicas[id].queue.depth())).toBe(0);
          expect(rows(replicas[id].db)).toEqual(expected);
          expect(replicas[id].sync.lastSyncedHlc()).toBe(gateway.head);
          replicas[id].sync.stop();
        }
      }),
      {
        numRuns: Number(env.PBT_RUNS ?? 40),
        ...(env.PBT_SEED ? { seed: Number(env.PBT_SEED) } : {}),
      },
    );
  });
});
