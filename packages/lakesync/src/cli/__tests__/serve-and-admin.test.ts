import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TestClient, todoInsert } from "@lakesync/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, type Served, serve } from "./support/cli-harness.js";

let dir: string;
let served: Served;
/** The token flush and status use (minted by `lakesync token`, as a script would). */
let admin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-cli-serve-"));
  served = await serve(["--port", "0", "--data-dir", dir, "--dev"], {
    env: { LAKESYNC_COMPACTION: "off", LAKESYNC_FLUSH_MAX_AGE_MS: "86400000" },
  });
  admin = (await cli(["token", "--sub", "ops", "--admin"])).out.trim();
});

afterAll(async () => {
  await served?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("lakesync serve", () => {
  it("prints where it listens and answers /health", async () => {
    const response = await fetch(`${served.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("accepts tokens from `lakesync token` in development mode", async () => {
    const client = new TestClient(served.url, admin);
    const pushed = await client.push("cli-phone", [
      todoInsert("cli-phone", "t1", { title: "from the CLI", owner: "ops" }),
    ]);
    expect(pushed.status).toBe(200);
  });

  it("refuses to start without a JWT secret unless --dev (exit 2, in words)", async () => {
    const ran = await cli(["serve", "--port", "0", "--data-dir", join(dir, "other")]);
    expect(ran.code).toBe(2);
    expect(ran.err).toContain("set LAKESYNC_JWT_SECRET (or LAKESYNC_JWKS_URL), or pass --dev");
  });

  it("a port already taken fails the start (exit 1) in words", async () => {
    const port = new URL(served.url).port;
    const ran = await cli(["serve", "--port", port, "--data-dir", join(dir, "other"), "--dev"]);
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^lakesync serve: cannot listen on 127\.0\.0\.1:\d+/);
  });

  it("a bad setting in the environment is a configuration error (exit 2)", async () => {
    const ran = await cli(["serve", "--dev", "--data-dir", dir], {
      env: { LAKESYNC_LAKE: "ftp" },
    });
    expect(ran.code).toBe(2);
    expect(ran.err).toContain("LAKESYNC_LAKE must be fs, s3, postgres or mysql");
  });
});

describe("lakesync flush and status against a served gateway", () => {
  it("status shows the buffered deltas as a table, and as JSON with --json", async () => {
    const table = await cli(["status", "todos", "--url", served.url, "--token", admin]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^gateway\s+todos$/m);
    expect(table.out).toMatch(/^buffered deltas\s+1$/m);
    expect(table.out).toMatch(/^last flush error\s+none$/m);
    const json = await cli(["status", "--json", "--url", served.url], {
      env: { LAKESYNC_TOKEN: admin },
    });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ gatewayId: "todos", bufferedDeltas: 1 });
  });

  it("flush writes the buffer and says what it wrote; then there is nothing to flush", async () => {
    const first = await cli(["flush", "todos", "--url", served.url, "--token", admin]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^todos: flushed 1 delta \(\d+ files?, .+\) through HLC \d+$/m);
    const again = await cli(["flush", "--json", "--url", served.url, "--token", admin]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ gatewayId: "todos", deltaCount: 0 });
    const status = await cli(["status", "--json", "--url", served.url, "--token", admin]);
    expect(JSON.parse(status.out)).toMatchObject({ bufferedDeltas: 0 });
  });

  it("without a token they fetch a development token from a gateway in development mode", async () => {
    const ran = await cli(["status", "--url", served.url]);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/^gateway\s+todos$/m);
  });

  it("a token without the admin claim is refused (exit 1) with the gateway's words", async () => {
    const user = (await cli(["token", "--sub", "alice"])).out.trim();
    const ran = await cli(["flush", "--url", served.url, "--token", user]);
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^lakesync flush: flushing todos: the gateway answered 403: /);
  });

  it("an unknown gateway is refused (exit 1) with the gateway's code", async () => {
    const ran = await cli(["status", "nope", "--url", served.url, "--token", admin]);
    expect(ran.code).toBe(1);
    expect(ran.err).toContain("[GATEWAY_NOT_FOUND]");
  });

  it("a gateway that cannot be reached fails (exit 1) in words", async () => {
    const ran = await cli(["flush", "--url", "http://127.0.0.1:9", "--token", admin]);
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^lakesync flush: cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });
});

describe("the lakesync executable", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
  });

  it("stops cleanly on SIGTERM (exit 0) after flushing", async () => {
    const bin = fileURLToPath(new URL("../bin.ts", import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const data = join(dir, "process");
    const child = spawn(
      process.execPath,
      ["--conditions=@lakesync/source", "--import", tsx, bin, "serve", "--port", "0", "--dev"],
      {
        env: { ...process.env, LAKESYNC_DATA_DIR: data, LAKESYNC_COMPACTION: "off" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("lakesync serve: SIGTERM received: flushing");
    expect(output).toContain("lakesync serve: stopped");
  }, 60_000);
});
