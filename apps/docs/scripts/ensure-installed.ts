/**
 * @module scripts/ensure-installed
 * Installs the site's dependencies from its own lockfile (`npm ci`) when they are missing or
 * older than the lockfile; does nothing otherwise. The site is not part of the root workspace,
 * so the root install never brings Next.js, Fumadocs or TypeDoc.
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join, resolve } from "node:path";

const docsRoot = resolve(import.meta.dirname, "..");

/** The modification time of a file in milliseconds, or undefined when it does not exist. */
function modified(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

const lockfile = modified(join(docsRoot, "package-lock.json"));
// npm writes node_modules/.package-lock.json at the end of every install.
const installed = modified(join(docsRoot, "node_modules", ".package-lock.json"));
if (installed === undefined || lockfile === undefined || installed < lockfile) {
  console.log("docs: installing apps/docs from its lockfile (npm ci)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // `--prefer-offline`: packages already in the npm cache are used without asking the registry,
  // so a machine that installed once installs again without a network.
  const result = spawnSync(npm, ["ci", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: docsRoot,
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}
