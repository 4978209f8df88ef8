/**
 * @module tests/integration/readme-examples
 * The TypeScript examples of the packages' READMEs, as files to type-check: every fenced block
 * whose language is `ts` or `tsx` in `packages/<dir>/README.md`, one module per block. A block
 * that is deliberately a fragment says so in its fence (` ```ts fragment `) and is left out.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "../../scripts/pack-packages.js";

/** One example, ready to be written as `file`. */
export interface ReadmeExample {
  /** The package folder under `packages/` whose README holds it. */
  readonly packageDir: string;
  /** `<packageDir>-<n>.ts` (or `.tsx`), numbered from 1 in README order. */
  readonly file: string;
  readonly code: string;
}

const FENCE = /^```(\S*)([^\n]*)\n([\s\S]*?)^```\s*$/gm;

/** The examples of one README's text. */
export function examplesOf(packageDir: string, markdown: string): ReadmeExample[] {
  const out: ReadmeExample[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const [, language = "", info = "", code = ""] = match;
    if (language !== "ts" && language !== "tsx") continue;
    if (info.split(/\s+/).includes("fragment")) continue;
    out.push({ packageDir, file: `${packageDir}-${out.length + 1}.${language}`, code });
  }
  return out;
}

/** The examples of every package README. */
export async function readmeExamples(): Promise<ReadmeExample[]> {
  const out: ReadmeExample[] = [];
  for (const dir of (await readdir(join(ROOT, "packages"))).sort()) {
    const markdown = await readFile(join(ROOT, "packages", dir, "README.md"), "utf8").catch(
      () => undefined,
    );
    if (markdown !== undefined) out.push(...examplesOf(dir, markdown));
  }
  return out;
}
