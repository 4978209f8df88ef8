/**
 * @module scripts/pack-packages
 * Builds the publishable packages (`packages/*`, through turbo, so an unchanged package is a cache
 * hit) and packs them with `npm pack`, exactly as `npm publish` would, into a folder of the
 * caller's. Used by the package check (`scripts/check-packages.ts`) and the tarball install test
 * (`tests/integration/install-from-tarballs.test.ts`).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "..");

/** One publishable package of the monorepo. */
export interface WorkspacePackage {
  /** The npm name (`@lakesync/core`, `lakesync`). */
  readonly name: string;
  readonly version: string;
  /** Its folder, relative to the repository root (`packages/core`). */
  readonly dir: string;
}

/** A package packed into a tarball. */
export interface PackedPackage extends WorkspacePackage {
  /** The absolute path of the `.tgz`. */
  readonly tarball: string;
  /** The paths inside the package that the tarball holds (`dist/index.js`, `README.md`...). */
  readonly files: readonly string[];
}

/** Every package under `packages/` that is not private, sorted by folder. */
export function publishablePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const name of readdirSync(join(ROOT, "packages")).sort()) {
    const dir = `packages/${name}`;
    let manifest: { name?: string; version?: string; private?: boolean };
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (manifest.private || !manifest.name || !manifest.version) continue;
    out.push({ name: manifest.name, version: manifest.version, dir });
  }
  return out;
}

/** Builds every package to `dist/` (turbo, in dependency order; the todo app is left out). */
export function buildPackages(): void {
  execFileSync(
    join(ROOT, "node_modules", ".bin", "turbo"),
    ["run", "build", "--filter=./packages/*", "--output-logs=errors-only"],
    {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    },
  );
}

/** Packs every publishable package into `destination` with one `npm pack` (after a build). */
export function packPackages(destination: string): PackedPackage[] {
  const packages = publishablePackages();
  const output = execFileSync(
    "npm",
    [
      "pack",
      "--json",
      "--pack-destination",
      destination,
      ...packages.flatMap((p) => ["--workspace", p.dir]),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, npm_config_loglevel: "error" },
    },
  );
  const packed = JSON.parse(output) as {
    name: string;
    filename: string;
    files: { path: string }[];
  }[];
  return packages.map((pkg) => {
    const entry = packed.find((p) => p.name === pkg.name);
    if (!entry) throw new Error(`npm pack did not pack ${pkg.name}`);
    return {
      ...pkg,
      tarball: join(destination, entry.filename),
      files: entry.files.map((f) => f.path),
    };
  });
}
