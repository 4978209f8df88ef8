import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
  }
}

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Builds the todo app, starts the Node gateway serving it, and stops it after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const app = join(root, "apps/examples/todo-app");
  await build({ root: app, configFile: join(app, "vite.config.ts"), logLevel: "warn" });
  const dataDir = await mkdtemp(join(tmpdir(), "lakesync-e2e-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--conditions=@lakesync/source",
      "--import",
      "tsx",
      join(root, "apps/gateway-server/src/main.ts"),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: "0",
        LAKESYNC_DATA_DIR: dataDir,
        LAKESYNC_STATIC_DIR: join(app, "dist"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the gateway did not start:\n${output}`)),
      30_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`the gateway exited with ${code}:\n${output}`)));
  });
  project.provide("baseUrl", baseUrl);
  project.provide("dataDir", dataDir);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await rm(dataDir, { recursive: true, force: true });
  };
}
