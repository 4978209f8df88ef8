import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HttpTransport,
  LocalDB,
  MemoryQueue,
  registerSchema,
  SyncCoordinator,
  SyncTracker,
} from "@lakesync/client";
import { deltaId, HLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import {
  decodeCheckpointChunk,
  decodeSyncNotification,
  decodeSyncResponse,
  encodeSyncPush,
  PROTO_CONTENT_TYPE,
} from "@lakesync/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorker, startWorker, token } from "./wrangler-dev.js";

const clock = new HLC();
const SCHEMA = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "owner", type: "string" },
  ],
};
const RULES = {
  version: 1,
  buckets: [
    {
      name: "own",
      tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
    },
  ],
};

function todo(
  clientId: string,
  rowId: string,
  owner: string,
  title = `todo ${rowId}`,
  hlc = clock.now(),
): RowDelta {
  const columns = [
    { column: "title", value: title },
    { column: "owner", value: owner },
  ];
  return {
    op: "INSERT",
    table: "todos",
    rowId,
    clientId,
    columns,
    hlc,
    deltaId: deltaId({ clientId, hlc, table: "todos", rowId, columns }),
  };
}

const VARS = { FLUSH_MAX_AGE_MS: "1500", MAX_BODY_BYTES: "65536", GATEWAY_PATTERN: "gw-.*" };
let dir: string;
let worker: DevWorker;
const bearer = async (sub: string, admin = false) => ({
  authorization: `Bearer ${await token(sub, admin)}`,
});

async function push(
  gw: string,
  sub: string,
  deltas: RowDelta[],
  clientId = `${sub}-phone`,
): Promise<Response> {
  return fetch(`${worker.url}/sync/${gw}/push`, {
    method: "POST",
    headers: { ...(await bearer(sub)), "content-type": PROTO_CONTENT_TYPE },
    body: unwrapOrThrow(
      encodeSyncPush({ clientId, deltas, lastSeenHlc: HLC_ZERO }),
    ) as Uint8Array<ArrayBuffer>,
  });
}

async function pull(gw: string, sub: string): Promise<RowDelta[]> {
  const response = await fetch(`${worker.url}/sync/${gw}/pull?since=0&max=1000&client=x`, {
    headers: await bearer(sub),
  });
  expect(response.status).toBe(200);
  return [
    ...unwrapOrThrow(decodeSyncResponse(new Uint8Array(await response.arrayBuffer()))).deltas,
  ];
}

async function admin(path: string, body?: unknown): Promise<Response> {
  return fetch(`${worker.url}${path}`, {
    method: "POST",
    headers: { ...(await bearer("ops", true)), "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function prepare(gw: string): Promise<void> {
  expect((await admin(`/admin/schema/${gw}`, SCHEMA)).status).toBe(200);
  expect((await admin(`/admin/sync-rules/${gw}`, RULES)).status).toBe(200);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-worker-"));
  worker = await startWorker(dir, VARS);
}, 90_000);
afterAll(async () => {
  await worker.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the gateway Worker in workerd (wrangler dev, local Durable Objects and R2)", () => {
  it("push and pull protobuf through the Worker and its Durable Object", async () => {
    await prepare("gw-basic");
    const deltas = [todo("alice-phone", "t1", "alice"), todo("alice-phone", "t2", "alice")];
    const response = await push("gw-basic", "alice", deltas);
    expect(response.status).toBe(200);
    expect(
      unwrapOrThrow(decodeSyncResponse(new Uint8Array(await response.arrayBuffer()))).serverHlc >
        0n,
    ).toBe(true);
    expect(await pull("gw-basic", "alice")).toEqual(deltas);
  });

  it("answers 401 without a token or with a forged or expired one, 403 for non-admins on admin routes", async () => {
    expect((await fetch(`${worker.url}/sync/gw-auth/pull`)).status).toBe(401);
    const forged = await token("mallory", false, "1h", "another-secret-that-is-32-bytes-long!!");
    expect(
      (
        await fetch(`${worker.url}/sync/gw-auth/pull`, {
          headers: { authorization: `Bearer ${forged}` },
        })
      ).status,
    ).toBe(401);
    const expired = await token("alice", false, Math.floor(Date.now() / 1000) - 3600);
    expect(
      (
        await fetch(`${worker.url}/sync/gw-auth/pull`, {
          headers: { authorization: `Bearer ${expired}` },
        })
      ).status,
    ).toBe(401);
    const notAdmin = await fetch(`${worker.url}/admin/flush/gw-auth`, {
      method: "POST",
      headers: await bearer("alice"),
    });
    expect(notAdmin.status).toBe(403);
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
    expect((await fetch(`${worker.url}/sync/bad%20id/pull`)).status).toBe(400);
  });

  it("keeps two users apart with sync rules", async () => {
    await prepare("gw-rules");
    await push("gw-rules", "alice", [todo("alice-phone", "a1", "alice")]);
    await push("gw-rules", "bob", [todo("bob-phone", "b1", "bob")]);
    expect((await pull("gw-rules", "alice")).map((d) => d.rowId)).toEqual(["a1"]);
    expect((await pull("gw-rules", "bob")).map((d) => d.rowId)).toEqual(["b1"]);
  });

  it("refuses writes the rules do not grant, and a client id used by another user", async () => {
    await prepare("gw-writes");
    expect((await push("gw-writes", "bob", [todo("bob-phone", "b1", "bob")])).status).toBe(200);
    const forged = await push("gw-writes", "alice", [todo("alice-phone", "x1", "bob")]);
    expect(forged.status).toBe(200);
    const answer = unwrapOrThrow(decodeSyncResponse(new Uint8Array(await forged.arrayBuffer())));
    expect(answer.refused?.map((r) => [r.rowId, r.code])).toEqual([["x1", "FORBIDDEN"]]);
    const takeover = await push("gw-writes", "alice", [
      { ...todo("alice-phone", "b1", "alice"), op: "UPDATE" as const },
    ]);
    expect(
      unwrapOrThrow(decodeSyncResponse(new Uint8Array(await takeover.arrayBuffer()))).refused,
    ).toHaveLength(1);
    expect((await pull("gw-writes", "bob")).map((d) => d.rowId)).toEqual(["b1"]);
    const hijack = await push(
      "gw-writes",
      "alice",
      [todo("bob-phone", "a1", "alice")],
      "bob-phone",
    );
    expect(hijack.status).toBe(403);
    expect((await hijack.json()).code).toBe("FORBIDDEN");
  });

  it("judges clock drift against the wall clock, so pushes cannot ratchet the gateway ahead", async () => {
    await prepare("gw-clock");
    const at = (offsetMs: number) => (BigInt(Date.now() + offsetMs) << 16n) as RowDelta["hlc"];
    const ahead = await push("gw-clock", "alice", [
      todo("alice-phone", "c1", "alice", "ahead", at(4_500)),
    ]);
    expect(ahead.status).toBe(200);
    // 9 s ahead of the wall clock, but within 5 s of the stamp just accepted: refused.
    const ratchet = await push("gw-clock", "alice", [
      todo("alice-phone", "c2", "alice", "further", at(9_000)),
    ]);
    expect(ratchet.status).toBe(409);
    expect((await push("gw-clock", "alice", [todo("alice-phone", "c3", "alice")])).status).toBe(
      200,
    );
  });

  it("serves only configured or created gateways; an unknown id is a JSON 404", async () => {
    const unknown = await fetch(`${worker.url}/sync/elsewhere/pull`, {
      headers: await bearer("alice"),
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe("GATEWAY_NOT_FOUND");
    const forbidden = await fetch(`${worker.url}/admin/gateways/elsewhere`, {
      method: "POST",
      headers: await bearer("alice"),
    });
    expect(forbidden.status).toBe(403);
    const created = await admin("/admin/gateways/elsewhere");
    expect(created.status).toBe(201);
    expect((await admin("/admin/gateways/elsewhere")).status).toBe(200);
    const served = await fetch(`${worker.url}/sync/elsewhere/schema`, {
      headers: await bearer("alice"),
    });
    expect(served.status).toBe(200);
  });

  it("rejects oversized and malformed bodies", async () => {
    await prepare("gw-limits");
    const big = await fetch(`${worker.url}/sync/gw-limits/push`, {
      method: "POST",
      headers: { ...(await bearer("alice")), "content-type": PROTO_CONTENT_TYPE },
      body: new Uint8Array(100_000),
    });
    expect(big.status).toBe(413);
    const garbage = await fetch(`${worker.url}/sync/gw-limits/push`, {
      method: "POST",
      headers: { ...(await bearer("alice")), "content-type": PROTO_CONTENT_TYPE },
      body: new Uint8Array([0xff, 0xff, 0xff, 1, 2]),
    });
    expect(garbage.status).toBe(400);
  });

  it("sends each WebSocket subscriber its own share of a push (hibernation API, claims kept per socket)", async () => {
    await prepare("gw-ws");
    const subscribe = async (sub: string, client: string) => {
      const query = new URLSearchParams({ token: await token(sub), client });
      const socket = new WebSocket(`${worker.url.replace("http", "ws")}/sync/gw-ws/ws?${query}`);
      socket.binaryType = "arraybuffer";
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const message = new Promise<ArrayBuffer>((resolve) => {
        socket.onmessage = (event) => resolve(event.data as ArrayBuffer);
      });
      return { socket, message };
    };
    const laptop = await subscribe("alice", "alice-laptop");
    const phone = await subscribe("alice", "alice-phone");
    const bob = await subscribe("bob", "bob-phone");
    const w1 = todo("alice-phone", "w1", "alice");
    await push("gw-ws", "alice", [w1]);
    const decode = async (m: Promise<ArrayBuffer>) =>
      unwrapOrThrow(decodeSyncNotification(new Uint8Array(await m)));
    const [forLaptop, forPhone, forBob] = await Promise.all(
      [laptop, phone, bob].map((s) => decode(s.message)),
    );
    expect(forLaptop).toMatchObject({ kind: "deltas", tables: ["todos"], deltas: [w1] });
    // The writer gets no echo of its own delta; bob may not read alice's row at all.
    expect(forPhone).toMatchObject({ kind: "deltas", deltas: [] });
    expect(forBob).toMatchObject({ kind: "deltas", tables: [], deltas: [] });
    expect(forBob?.serverHlc).toBe(forLaptop?.serverHlc);
    for (const s of [laptop, phone, bob]) s.socket.close();
  });

  it("flushes Parquet to R2 from an alarm, at deltas/{date}/{gateway}/{min}-{max}.parquet", async () => {
    await prepare("gw-flush");
    await push("gw-flush", "alice", [todo("alice-phone", "f1", "alice")]);
    const list = async () => {
      const response = await fetch(`${worker.url}/admin/objects/gw-flush?prefix=deltas/`, {
        headers: await bearer("ops", true),
      });
      const { objects } = (await response.json()) as { objects: { key: string }[] };
      return objects.map((o) => o.key).filter((key) => key.includes("/gw-flush/"));
    };
    await expect
      .poll(list, { timeout: 20_000, interval: 250 })
      .toEqual([expect.stringMatching(/^deltas\/\d{4}-\d\d-\d\d\/gw-flush\/\d+-\d+\.parquet$/)]);
  });

  it("loses nothing acknowledged when the Durable Object's process dies and restarts", async () => {
    await prepare("gw-restart");
    const deltas = Array.from({ length: 30 }, (_, i) => todo("alice-phone", `r${i}`, "alice"));
    for (let i = 0; i < 30; i += 10)
      expect((await push("gw-restart", "alice", deltas.slice(i, i + 10))).status).toBe(200);
    await worker.stop("SIGKILL");
    worker = await startWorker(dir, VARS);
    expect(await pull("gw-restart", "alice")).toEqual(deltas);
    const again = await push("gw-restart", "alice", deltas.slice(0, 10));
    expect(again.status).toBe(200);
    expect(await pull("gw-restart", "alice")).toEqual(deltas);
  }, 90_000);

  it("trims its stored log after flushing and restarts from its stored rows, every one", async () => {
    const compactDir = await mkdtemp(join(tmpdir(), "lakesync-worker-compact-"));
    const vars = {
      FLUSH_MAX_AGE_MS: "600000",
      LOG_RETENTION: "10",
      GATEWAY_PATTERN: "gw-.*",
    };
    const main = worker;
    worker = await startWorker(compactDir, vars);
    try {
      await prepare("gw-compact");
      // Four pushes: the store trims whole group commits.
      for (let batch = 0; batch < 4; batch++) {
        const deltas = Array.from({ length: 10 }, (_, i) =>
          todo("alice-phone", `k${batch * 10 + i}`, "alice"),
        );
        expect((await push("gw-compact", "alice", deltas)).status).toBe(200);
      }
      expect((await admin("/admin/flush/gw-compact")).status).toBe(200);
      await worker.stop("SIGKILL");
      worker = await startWorker(compactDir, vars);
      const expired = await fetch(`${worker.url}/sync/gw-compact/pull?since=0&max=100&client=x`, {
        headers: await bearer("alice"),
      });
      expect(expired.status).toBe(410);
      const checkpoint = await fetch(`${worker.url}/sync/gw-compact/checkpoint`, {
        headers: await bearer("alice"),
      });
      expect(checkpoint.status).toBe(200);
      const bytes = new Uint8Array(await checkpoint.arrayBuffer());
      const rowIds = new Set<string>();
      for (let offset = 0; offset < bytes.byteLength; ) {
        const length = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, false);
        const chunk = unwrapOrThrow(
          decodeCheckpointChunk(bytes.subarray(offset + 4, offset + 4 + length)),
        );
        if (chunk.payload.kind === "deltas")
          for (const d of chunk.payload.deltas) rowIds.add(d.rowId);
        offset += 4 + length;
      }
      expect(rowIds.size).toBe(40);
    } finally {
      await worker.stop();
      worker = main;
      await rm(compactDir, { recursive: true, force: true });
    }
  }, 90_000);

  it("serves the client SDK: two clients sync through the Worker with realtime", async () => {
    await prepare("gw-client");
    const open = async (id: string) => {
      const db = unwrapOrThrow(await LocalDB.open({ name: id, persistDebounceMs: 60_000 }));
      unwrapOrThrow(registerSchema(db, SCHEMA as Parameters<typeof registerSchema>[1]));
      const queue = new MemoryQueue();
      const clock = new HLC();
      const tok = await token("alice");
      const transport = new HttpTransport({
        baseUrl: worker.url,
        gatewayId: "gw-client",
        token: () => tok,
      });
      const sync = new SyncCoordinator({
        db,
        queue,
        transport,
        clock,
        clientId: id,
        intervalMs: 3_600_000,
      });
      return { db, sync, tracker: new SyncTracker({ db, queue, clock, clientId: id }) };
    };
    const a = await open("worker-a");
    const b = await open("worker-b");
    b.sync.start();
    unwrapOrThrow(
      await a.tracker.insert("todos", { id: "c1", title: "through the edge", owner: "alice" }),
    );
    unwrapOrThrow(await a.sync.syncNow());
    await expect
      .poll(
        () =>
          unwrapOrThrow(b.db.query<{ title: string }>("SELECT title FROM todos")).map(
            (r) => r.title,
          ),
        { timeout: 15_000 },
      )
      .toEqual(["through the edge"]);
    b.sync.stop();
    await a.db.close();
    await b.db.close();
  });
});
