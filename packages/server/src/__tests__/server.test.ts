import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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
import { TestClient } from "../testing/test-client.js";
import { todoInsert as todo } from "../testing/todo-delta.js";

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

  it("does not create gateways for unknown ids: a JSON 404, and nothing written", async () => {
    const { url } = await start();
    const alice = await TestClient.forUser(url, "alice");
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${url}/sync/made-up-${i}/schema`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe("GATEWAY_NOT_FOUND");
    }
    expect(existsSync(join(dir, "gateways", "made-up-0"))).toBe(false);
    const admin = await TestClient.forUser(url, "ops", true);
    expect((await alice.admin("/admin/gateways/team")).status).toBe(403);
    expect((await admin.admin("/admin/gateways/team")).status).toBe(201);
    expect((await admin.admin("/admin/gateways/team")).status).toBe(200);
    const served = await fetch(`${url}/sync/team/schema`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(served.status).toBe(200);
    expect((await admin.admin("/admin/gateways/..")).status).toBe(404);
  });

  it("answers unknown API paths with JSON 404s, never the app's index.html", async () => {
    const app = join(dir, "app");
    await mkdir(app);
    await writeFile(join(app, "index.html"), "<html>app</html>");
    const { url } = await start({ LAKESYNC_STATIC_DIR: app });
    expect(await (await fetch(`${url}/some/page`)).text()).toContain("app");
    for (const path of ["/sync/todos/nope", "/admin/nope", "/dev/nope", "/sync"]) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get("content-type")).toContain("application/json");
    }
  });

  it("refuses reserved column names (422) and values over the size limit (413, naming the column)", async () => {
    const { url } = await start({ LAKESYNC_MAX_VALUE_BYTES: "1000" });
    const admin = await TestClient.forUser(url, "ops", true);
    const reserved = await admin.admin("/admin/schema/todos", {
      table: "notes",
      columns: [
        { name: "op", type: "string" },
        { name: "hlc", type: "number" },
      ],
    });
    expect(reserved.status).toBe(422);
    expect(((await reserved.json()) as { message: string }).message).toMatch(/reserved/);
    const alice = await TestClient.forUser(url, "alice");
    const big = await alice.push("alice-phone", [
      todo("alice-phone", "t1", { title: "x".repeat(2_000), owner: "alice" }),
    ]);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toMatch(/todos\.title/);
  });

  it("refuses a push whose delta id does not match its content", async () => {
    const { url } = await start();
    const alice = await TestClient.forUser(url, "alice");
    const forged = {
      ...todo("alice-phone", "t1", { title: "x", owner: "alice" }),
      deltaId: "0".repeat(64),
    };
    const response = await alice.push("alice-phone", [forged]);
    expect(response.status).toBe(400);
  });

  it("logs each failed automatic flush once, with its code and cause", async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (line: string) => lines.push(line);
    try {
      const { url } = await start({ LAKESYNC_FLUSH_MAX_AGE_MS: "10" });
      lake.failing = true;
      const alice = await TestClient.forUser(url, "alice");
      await alice.push("alice-phone", [todo("alice-phone", "t1", { title: "x", owner: "alice" })]);
      await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(lines[0]).toMatch(
        /flush of table "todos" of gateway "todos" failed \(FLUSH_FAILED\).*lake unavailable/,
      );
    } finally {
      console.error = original;
    }
  });
});
