/**
 * The committed generated code is what `npm run generate` (buf + protoc-gen-es) makes from
 * `src/lakesync.proto` today, and the schema passes `buf lint`. A schema edit without
 * regenerating fails here, in CI.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const packageDir = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const committed = join(packageDir, "src/gen");

/** The nearest node_modules/.bin holding `buf` (npm hoists it to the repository root). */
function binDir(): string {
  for (let dir = packageDir; ; dir = resolve(dir, "..")) {
    const candidate = join(dir, "node_modules/.bin");
    if (existsSync(join(candidate, "buf"))) return candidate;
    if (resolve(dir, "..") === dir)
      throw new Error("buf is not installed (npm ci installs @bufbuild/buf)");
  }
}

function buf(args: string[]): { status: number | null; output: string } {
  const bin = binDir();
  const result = spawnSync(join(bin, "buf"), args, {
    cwd: packageDir,
    encoding: "utf8",
    // protoc-gen-es is a local plugin found on PATH, next to buf.
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
      BUF_CACHE_DIR: scratch,
    },
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ?? ""}` };
}

const scratch = mkdtempSync(join(tmpdir(), "lakesync-proto-gen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("generated protobuf code", () => {
  it("matches what buf generate makes from the schema now", () => {
    const out = join(scratch, "out");
    const run = buf(["generate", "--output", out]);
    expect(run.output).toBe("");
    expect(run.status).toBe(0);
    const fresh = join(out, "src/gen");
    const files = readdirSync(fresh).sort();
    expect(readdirSync(committed).sort()).toEqual(files);
    for (const file of files) {
      const message = `src/gen/${file} is stale: run npm run generate -w @lakesync/proto`;
      expect(readFileSync(join(committed, file), "utf8"), message).toBe(
        readFileSync(join(fresh, file), "utf8"),
      );
    }
  });

  it("the schema passes buf lint", () => {
    const run = buf(["lint"]);
    expect(run.output).toBe("");
    expect(run.status).toBe(0);
  });
});
