import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdapterError,
  Err,
  type LakeSyncError,
  Ok,
  type Result,
  unwrapOrThrow,
} from "@lakesync/core";
import type { LakeWriter } from "@lakesync/gateway";
import { decodeSyncNotification } from "@lakesync/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { type RunningServer, startServer } from "../server.js";
import { TestClient } from "./http-client.js";
import { todo } from "./todo-delta.js";

class Lake implements LakeWriter {
  readonly objects = new Map<string, Uint8Array>();
  failing = false;
  async putObject(path: string, data: Uint8Array): Promise<Result<void, LakeSyncError>> {
    if (this.failing) return Err(new AdapterError("lake unavailable"));
    this.objects.set(path, data);
    return Ok(undefined);
  }
  async getObject(path: string): Promise<Result<Uint8Array, LakeSyncError>> {
    const data = this.objects.get(path);
    return data ? Ok(data) : Err(new AdapterError("missing"));
  }
  async listObjects() {
    return Ok([]);
  }
}

let dir: string;
let server: RunningServer | undefined;
let lake: Lake;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-server-"));
  lake = new Lake();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}) {
  const config = unwrapOrThrow(loadConfig({ PORT: "0", LAKESYNC_DATA_DIR: dir, ...env }));
  server = unwrapOrThrow(await startServer(config, { target: { kind: "lake", adapter: lake } }));
  return server;
}

describe("Node gateway server over 127.0.0.1", () => {
  it("two users push and pull protobuf over HTTP and only see what their sync rules grant", async () => {
    const { url } = await start();
    const alice = await TestClient.forUser(url, "alice");
    const bob = await TestClient.forUser(url, "bob");
    expect(
      (await alice.push("a-phone", [todo("a-phone", "t1", { title: "private", owner: "alice" })]))
        .status,
    ).toBe(200);
    expect(
      (
        await alice.push("a-phone", [
          todo("a-phone", "t2", { title: "shared", owner: "alice", private: false }),
        ])
      ).status,
    ).toBe(200);
    expect(
      (await bob.push("b-laptop", [todo("b-laptop", "t3", { title: "bob's", owner: "bob" })]))
        .status,
    ).toBe(200);
    const forAlice = await alice.pullAll();
    const forBob = await bob.pullAll();
    expect(forAlice.deltas.map((d) => d.rowId).sort()).toEqual(["t1", "t2"]);
    expect(forBob.deltas.map((d) => d.rowId).sort()).toEqual(["t2", "t3"]);
  });

  it("notifies WebSocket subscribers after a push", async () => {
    const { url } = await start();
    const alice = await TestClient.forUser(url, "alice");
    const socket = new WebSocket(`${url.replace("http", "ws")}/sync/todos/ws?token=${alice.token}`);
    socket.binaryType = "arraybuffer";
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const message = new Promise<ArrayBuffer>((resolve) => {
      socket.onmessage = (event) => resolve(event.data as ArrayBuffer);
    });
    await alice.push("a-phone", [todo("a-phone", "t1", { title: "x", owner: "alice" })]);
    const notification = unwrapOrThrow(decodeSyncNotification(new Uint8Array(await message)));
    expect(notification.tables).toEqual(["todos"]);
    socket.close();
  });

  it("refuses a WebSocket without a valid token", async () => {
    const { url } = await start();
    const socket = new WebSocket(`${url.replace("http", "ws")}/sync/todos/ws?token=bad`);
    const outcome = await new Promise<string>((resolve) => {
      socket.onopen = () => resolve("open");
      socket.onerror = () => resolve("refused");
    });
    expect(outcome).toBe("refused");
  });

  it("an admin flush writes the buffer to the lake; a failing lake keeps it for later", async () => {
    const { url } = await start();
    const admin = await TestClient.forUser(url, "ops", true);
    await admin.push("ops-cli", [todo("ops-cli", "t1", { title: "x", owner: "ops" })]);
    lake.failing = true;
    const failed = await admin.admin("/admin/flush/todos");
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { code: string }).code).toBe("FLUSH_FAILED");
    lake.failing = false;
    const ok = await admin.admin("/admin/flush/todos");
    expect(ok.status).toBe(200);
    expect([...lake.objects.keys()]).toEqual([
      expect.stringMatching(/^deltas\/\d{4}-\d\d-\d\d\/todos\/\d+-\d+\.parquet$/),
    ]);
  });

  it("does not serve dev tokens when a real secret is configured", async () => {
    const { url } = await start({ LAKESYNC_JWT_SECRET: "a-production-secret-that-is-long-enough" });
    expect((await fetch(`${url}/dev/token?sub=alice`)).status).toBe(404);
  });
});
