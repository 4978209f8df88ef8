import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every module specifier imported by the files reachable from `entry` by relative imports. */
function importsReachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(
      /(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    )) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  };
  visit(join(src, entry));
  return packages;
}

describe("the main entry is runtime-neutral", () => {
  it("imports no node: modules and no Node-only entries, so a Durable Object can compact", () => {
    const packages = [...importsReachableFrom("index.ts")];
    expect(packages.filter((p) => p.startsWith("node:") || p.endsWith("/node"))).toEqual([]);
    expect(importsReachableFrom("node.ts").has("node:fs/promises")).toBe(true);
  });
});
