/**
 * @module tests/integration/install-from-tarballs
 * LakeSync installs like any npm package: every package is built and packed with `npm pack`,
 * the tarballs are installed with `npm install --prefer-offline` into a fresh folder outside the
 * repository (so nothing resolves through the monorepo or its `@lakesync/source` condition),
 * and then a plain Node ESM program syncs two clients through the umbrella's subpaths,
 * `npx lakesync serve` starts the gateway and answers `/health`, a Vite app that imports
 * `@lakesync/client` builds, and a strict TypeScript consumer (NodeNext, no
 * `skipLibCheck`) compiles every entry point's types and every TypeScript example of the
 * packages' READMEs against what was installed. The steps' times are printed at the end.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildPackages,
  type PackedPackage,
  packPackages,
  publishablePackages,
  ROOT,
} from "../../scripts/pack-packages.js";
import { readmeExamples } from "./readme-examples.js";

const run = promisify(execFile);
const examples = await readmeExamples();
const NODE = join(ROOT, "node_modules", ".bin", "node");
const FIXTURE = join(import.meta.dirname, "fixtures", "consumer");
/** Five minutes: a cold build, the pack and an install that fills a cold npm cache. */
const SETUP_TIMEOUT_MS = 300_000;

/** The npm settings a nested `npm install` must not inherit from the `npm test` around it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.toLowerCase().startsWith("npm_") || keep.has(key.toLowerCase())) env[key] = value;
  return { ...env, npm_config_loglevel: "error", npm_config_update_notifier: "false" };
}

/** Every subpath of every package's exports map, as import specifiers (`@lakesync/adapter/node`). */
async function entrypoints(): Promise<string[]> {
  const out: string[] = [];
  for (const pkg of packed) {
    const manifest = JSON.parse(await readFile(join(ROOT, pkg.dir, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    for (const subpath of Object.keys(manifest.exports))
      if (subpath !== "./package.json") out.push(`${pkg.name}${subpath.slice(1)}`);
  }
  return out;
}

/** `import type` of every entry point, as one module. */
async function entrypointImports(): Promise<string> {
  const specifiers = await entrypoints();
  const lines = specifiers.map((s, i) => `import type * as entry${i} from "${s}";`);
  const names = specifiers.map((_, i) => `typeof entry${i}`);
  return `${lines.join("\n")}\nexport type Entrypoints = [${names.join(", ")}];\n`;
}

/** A version the repository already installed, so the npm cache holds it. */
async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(join(ROOT, "node_modules", name, "package.json"), "utf8"),
  ) as { version: string };
  return manifest.version;
}

let work = "";
let consumer = "";
let packed: PackedPackage[] = [];
/** `npx lakesync serve`, killed after its test (and in `afterAll` if the test failed). */
let served: ChildProcess | undefined;
const timings: Record<string, number> = {};

async function timed<T>(label: string, step: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "lakesync-install-"));
  consumer = join(work, "consumer");
  await timed("build", () => buildPackages());
  await mkdir(join(work, "tarballs"));
  packed = await timed("pack", () => packPackages(join(work, "tarballs")));
  await cp(FIXTURE, consumer, { recursive: true });
  // Every LakeSync package from its tarball, also as an override: a package's dependency on
  // another (`"@lakesync/core": "0.1.0"`) must take the tarball, never the registry.
  const tarballs = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  const manifest = {
    name: "lakesync-install-test",
    private: true,
    type: "module",
    dependencies: {
      ...tarballs,
      "sql.js": await installedVersion("sql.js"),
      react: await installedVersion("react"),
    },
    devDependencies: {
      "@types/node": await installedVersion("@types/node"),
      "@types/react": await installedVersion("@types/react"),
    },
    overrides: tarballs,
  };
  await writeFile(join(consumer, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await timed("install", () =>
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: consumer,
      env: cleanEnv(),
    }),
  );
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  // Whatever of `npx lakesync serve`'s process group is left (after a failed test).
  if (served?.pid !== undefined)
    try {
      process.kill(-served.pid, "SIGKILL");
    } catch {
      // The group is gone: the test stopped it.
    }
  console.log(`install-from-tarballs: timings (ms) ${JSON.stringify(timings)}`);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("LakeSync installed from its tarballs, outside the repository", () => {
  it("packs every package under packages/", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(
      publishablePackages()
        .map((p) => p.name)
        .sort(),
    );
  });

  it("a Node ESM program imports lakesync/client and lakesync/gateway and syncs two clients", async () => {
    const { stdout } = await timed("node", () =>
      run(NODE, ["sync.mjs"], { cwd: consumer, env: cleanEnv() }),
    );
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
      rows: unknown[];
      parquetDeltaIds: string[];
      deltaId: string;
      sameModule: boolean;
      resolved: { client: string; umbrella: string };
    };
    expect(result.rows).toEqual([{ id: "t1", title: "Buy milk", completed: 0 }]);
    expect(result.parquetDeltaIds).toEqual([result.deltaId]);
    expect(result.sameModule).toBe(true);
    expect(result.resolved.client).toMatch(/node_modules\/@lakesync\/client\/dist\/index\.js$/);
    expect(result.resolved.umbrella).toMatch(/node_modules\/lakesync\/dist\/client\.js$/);
    expect(result.resolved.client.startsWith(`file://${consumer}`)).toBe(true);
  });

  it("every entry point loads in Node (the testing ones need vitest, an optional peer)", async () => {
    const specifiers = (await entrypoints()).filter((s) => !/\/testing(\/|$)/.test(s));
    const { stdout } = await timed("imports", () =>
      run(NODE, ["import-all.mjs", ...specifiers], { cwd: consumer, env: cleanEnv() }),
    );
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
      loaded: number;
      failures: string[];
    };
    expect(result.failures).toEqual([]);
    expect(result.loaded).toBe(specifiers.length);
  });

  it("`npx lakesync serve` starts and answers /health, and stops cleanly on SIGTERM", async () => {
    const data = join(work, "serve-data");
    // `npx` runs the bin's `#!/usr/bin/env node`: the repository's Node 24 comes first on PATH.
    const child = spawn(
      "npx",
      ["--no-install", "lakesync", "serve", "--port", "0", "--dev", "--data-dir", data],
      {
        cwd: consumer,
        env: { ...cleanEnv(), PATH: `${dirname(NODE)}${delimiter}${process.env.PATH ?? ""}` },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    served = child;
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const url = await timed(
      "serve",
      () =>
        new Promise<string>((resolve, reject) => {
          child.stdout.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
            if (match?.[1]) resolve(match[1]);
          });
          child.stderr.on("data", (chunk: Buffer) => {
            output += chunk.toString();
          });
          void exited.then((code) =>
            reject(new Error(`lakesync serve exited with ${code}:\n${output}`)),
          );
        }),
    );
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    // As Ctrl-C does, the whole process group: npx, the shell it runs the bin in, the server.
    // npx itself ends by the signal; the output pipes close once the server has stopped too.
    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
    await closed;
    expect(output).toContain("lakesync serve: SIGTERM received: flushing");
    expect(output).toContain("lakesync serve: stopped");
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("a Vite app that imports @lakesync/client builds", async () => {
    const vite = join(ROOT, "node_modules", "vite", "bin", "vite.js");
    await timed("vite", () =>
      run(NODE, [vite, "build", "--logLevel", "warn"], {
        cwd: join(consumer, "app"),
        env: cleanEnv(),
      }),
    );
    const assets = await readdir(join(consumer, "app", "dist", "assets"));
    expect(assets.some((f) => f.endsWith(".js"))).toBe(true);
    expect(assets.some((f) => f.endsWith(".wasm"))).toBe(true);
  });

  describe("TypeScript consumers (strict, NodeNext, no skipLibCheck)", () => {
    /** tsc's diagnostics, one entry per error (its first line, then its indented details). */
    let diagnostics: string[] = [];
    beforeAll(async () => {
      const dir = join(consumer, "ts");
      await mkdir(dir, { recursive: true });
      for (const example of examples) await writeFile(join(dir, example.file), example.code);
      await writeFile(join(dir, "entrypoints.ts"), await entrypointImports());
      const tsc = join(ROOT, "node_modules", ".bin", "tsc");
      const output = await timed("tsc", () =>
        run(tsc, ["-p", "tsconfig.consumer.json", "--pretty", "false"], { cwd: consumer }).then(
          (r) => r.stdout,
          (failure: { stdout?: string }) => failure.stdout ?? String(failure),
        ),
      );
      diagnostics = output.split("\n").reduce<string[]>((entries, line) => {
        if (/^\s/.test(line) && entries.length > 0) entries[entries.length - 1] += `\n${line}`;
        else if (line.trim() !== "") entries.push(line);
        return entries;
      }, []);
    }, SETUP_TIMEOUT_MS);

    it("the types of every entry point (and of what they import) compile", () => {
      expect(
        diagnostics.filter((d) => !examples.some((e) => d.startsWith(`ts/${e.file}(`))),
      ).toEqual([]);
    });

    it.each([...new Set(examples.map((e) => e.packageDir))])(
      "the TypeScript examples of packages/%s/README.md compile",
      (packageDir) => {
        const files = examples.filter((e) => e.packageDir === packageDir).map((e) => e.file);
        expect(
          diagnostics.filter((d) => files.some((file) => d.startsWith(`ts/${file}(`))),
        ).toEqual([]);
      },
    );
  });
});
