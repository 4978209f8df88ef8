import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every module specifier imported by the files reachable from `entry` through relative imports. */
function importsReachableFrom(entry: string): { files: string[]; packages: Set<string> } {
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
  return { files: [...seen], packages };
}

describe("the main entry is runtime-neutral", () => {
  it("imports no node: modules, no pg, no avsc and no Node-only entries of other packages", () => {
    const { files, packages } = importsReachableFrom("index.ts");
    expect(files.length).toBeGreaterThan(20);
    const nodeOnly = [...packages].filter(
      (p) => p.startsWith("node:") || p === "pg" || p.endsWith("/node") || p.startsWith("avsc"),
    );
    // No avsc either: it generates code with `new Function`, which Workers forbid.
    expect(nodeOnly).toEqual([]);
  });

  it("the node entry adds the drivers", () => {
    const { packages } = importsReachableFrom("node.ts");
    expect(packages).toContain("node:sqlite");
    expect(packages).toContain("pg");
  });
});
