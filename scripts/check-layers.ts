/**
 * @module scripts/check-layers
 * Fails when a package imports one above it in the package graph of docs/architecture.md, when
 * anything imports an app, when code reaches into another package's files by relative path, or
 * when a package imports a `@lakesync/*` package its package.json does not declare. A declared
 * package that is never imported is reported as a warning. Run by `npm test` (`npm run
 * check:layers`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** Who may import whom (bottom-up), by directory under packages/. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  proto: ["core"],
  adapter: ["core"],
  parquet: ["core"],
  client: ["core", "proto"],
  gateway: ["core", "proto", "parquet"],
  catalogue: ["core", "adapter", "parquet"],
  compactor: ["core", "proto", "adapter", "parquet", "catalogue"],
  analyst: ["core", "proto", "adapter", "parquet", "catalogue"],
  server: ["core", "proto", "adapter", "parquet", "gateway", "catalogue", "compactor"],
  lakesync: [
    "core",
    "proto",
    "adapter",
    "parquet",
    "client",
    "gateway",
    "catalogue",
    "compactor",
    "analyst",
    "server",
  ],
};

const root = resolve(import.meta.dirname, "..");
const IMPORT =
  /(?:import|export)[^'"`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name === "gen") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** Directory under packages/ of a package name (`@lakesync/gateway` -> `gateway`). */
function packageDir(specifier: string): string | undefined {
  if (specifier === "lakesync" || specifier.startsWith("lakesync/")) return "lakesync";
  const match = /^@lakesync\/([^/]+)/.exec(specifier);
  return match?.[1];
}

const problems: string[] = [];
const warnings: string[] = [];
for (const pkg of Object.keys(ALLOWED)) {
  const dir = join(root, "packages", pkg);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set(
    Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    })
      .map(packageDir)
      .filter((d): d is string => d !== undefined),
  );
  const used = new Set<string>();
  for (const file of files(join(dir, "src"))) {
    const text = readFileSync(file, "utf8");
    const where = relative(root, file);
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? "";
      if (specifier.startsWith(".")) {
        const target = relative(root, resolve(join(file, ".."), specifier));
        if (!target.startsWith(`packages/${pkg}/`))
          problems.push(
            `${where}: imports ${specifier}, outside its own package (use the package name)`,
          );
        continue;
      }
      const other = packageDir(specifier);
      if (other === undefined || other === pkg) continue;
      used.add(other);
      if (!(ALLOWED[pkg] ?? []).includes(other))
        problems.push(`${where}: @lakesync/${pkg} may not import ${specifier} (it sits above it)`);
      if (!declared.has(other))
        problems.push(
          `${where}: imports ${specifier}, which packages/${pkg}/package.json does not declare`,
        );
    }
  }
  for (const other of declared)
    if (!used.has(other))
      warnings.push(
        `packages/${pkg}/package.json declares @lakesync/${other} but never imports it`,
      );
}
for (const file of [
  ...files(join(root, "apps")),
  ...files(join(root, "tests")),
  ...files(join(root, "bench")),
]) {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? "";
    if (!specifier.startsWith(".")) continue;
    const target = relative(root, resolve(join(file, ".."), specifier));
    if (target.startsWith("packages/"))
      problems.push(
        `${relative(root, file)}: reaches into ${target}; import the package's exports instead`,
      );
  }
}

for (const warning of warnings) console.warn(`check-layers: warning: ${warning}`);
if (problems.length > 0) {
  console.error(
    `check-layers: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`,
  );
  process.exit(1);
}
console.log(`check-layers: ${Object.keys(ALLOWED).length} packages follow the package graph`);
