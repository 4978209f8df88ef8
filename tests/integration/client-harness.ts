import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HttpTransport,
  LocalDB,
  MemoryQueue,
  MemorySnapshotStore,
  registerSchema,
  type SnapshotStore,
  SyncCoordinator,
  type SyncQueue,
  SyncTracker,
} from "@lakesync/client";
import { HLC, unwrapOrThrow } from "@lakesync/core";
import { loadConfig, type RunningServer, startServer, TODO_SCHEMA } from "@lakesync/server";

/** Every client reads the same wall clock (monotonic in practice on one machine). */
export const sharedWallClock = (): number => Date.now();

/** A client of the todo gateway: the real SDK over HTTP, synced by hand with `syncNow()`. */
export interface TestApp {
  readonly id: string;
  readonly db: LocalDB;
  readonly queue: SyncQueue;
  readonly tracker: SyncTracker;
  readonly sync: SyncCoordinator;
  readonly transport: HttpTransport;
  rows(): Record<string, unknown>[];
  depth(): Promise<number>;
}

export interface TestAppOptions {
  readonly fetch?: typeof fetch;
  readonly wallClock?: () => number;
  readonly queue?: SyncQueue;
  readonly snapshots?: SnapshotStore;
  readonly user?: string;
  readonly baseUrl?: () => string;
}

/** Opens a client with its own local database and outbox. */
export async function openApp(
  url: string,
  id: string,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const user = options.user ?? "alice";
  const db = unwrapOrThrow(
    await LocalDB.open({
      name: id,
      snapshots: options.snapshots ?? new MemorySnapshotStore(),
      persistDebounceMs: 60_000,
    }),
  );
  unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
  const queue = options.queue ?? new MemoryQueue();
  const clock = new HLC({ wallClock: options.wallClock ?? sharedWallClock });
  const tracker = new SyncTracker({ db, queue, clock, clientId: id });
  let token: string | undefined;
  const transport = new HttpTransport({
    baseUrl: url,
    gatewayId: "todos",
    token: async (refresh) => {
      if (!token || refresh) {
        const response = await fetch(`${url}/dev/token?sub=${user}`);
        token = ((await response.json()) as { token: string }).token;
      }
      return token;
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs: 5_000,
  });
  const sync = new SyncCoordinator({
    db,
    queue,
    transport,
    clock,
    clientId: id,
    intervalMs: 3_600_000,
  });
  return {
    id,
    db,
    queue,
    tracker,
    sync,
    transport,
    rows: () =>
      unwrapOrThrow(db.query("SELECT id, title, completed, owner, private FROM todos ORDER BY id")),
    depth: async () => unwrapOrThrow(await queue.depth()),
  };
}

/** A todo for `tracker.insert`. */
export function todo(id: string, title: string, owner = "alice") {
  return {
    id,
    title,
    completed: false,
    created_at: "2026-11-23T00:00:00Z",
    updated_at: "2026-11-23T00:00:00Z",
    owner,
    private: true,
  };
}

/**
 * Starts a Node gateway on a free port over a fresh data directory (no timed flushes), and
 * registers its shutdown and the directory's removal in `cleanups`.
 */
export async function startTestGateway(
  cleanups: (() => Promise<unknown>)[],
): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "lakesync-gateway-it-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = unwrapOrThrow(
    loadConfig({ PORT: "0", LAKESYNC_DATA_DIR: dataDir, LAKESYNC_FLUSH_MAX_AGE_MS: "86400000" }),
  );
  const server = unwrapOrThrow(await startServer(config));
  cleanups.push(() => server.close());
  return server;
}
