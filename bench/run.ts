/**
 * @module bench/run
 * Runs every `bench/*.bench.ts` suite (or those named on the command line) in its own process,
 * prints their tables, keeps each in bench/results/<suite>.md and rebuilds BENCHMARKS.md from all.
 *
 * Usage: `npm run bench` or `npm run bench -- core proto`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const resultsDir = `${dir}results/`;
mkdirSync(resultsDir, { recursive: true });
for (const suite of suites) {
  console.error(`running bench/${suite}.bench.ts …`);
  const result = spawnSync(
    process.execPath,
    ["--conditions=@lakesync/source", "--import", "tsx", `${dir}${suite}.bench.ts`],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) {
    console.error(
      `bench/${suite}.bench.ts failed with exit code ${result.status}; its old table is kept`,
    );
    process.exitCode = 1;
    continue;
  }
  process.stdout.write(`${result.stdout}\n`);
  writeFileSync(`${resultsDir}${suite}.md`, result.stdout);
}

// BENCHMARKS.md always holds the latest table of every suite, whichever suites ran this time.
const sections = readdirSync(resultsDir)
  .filter((f) => f.endsWith(".md"))
  .sort()
  .map((f) => readFileSync(`${resultsDir}${f}`, "utf8"));

const cpu = cpus()[0]?.model ?? "unknown CPU";
const header = [
  "# Benchmarks",
  "",
  `Latest run: ${new Date().toISOString()} on Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB.`,
  "Ratios compare with a baseline measured in the same run; absolute figures vary on this shared machine.",
  "Regenerate with `npm run bench` (all suites) or `npm run bench -- <suite>`.",
  "",
].join("\n");
if (existsSync(resultsDir))
  writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), `${header}\n${sections.join("\n")}`);
